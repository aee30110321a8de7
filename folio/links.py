"""Which link targets an edition may carry."""


def safe_href(href: str) -> str:
    """Only web, mail and in-document links; anything else (javascript:, data:) is dropped."""
    lowered = "".join(href.split()).lower()
    if lowered.startswith(("http://", "https://", "mailto:", "#")) or ":" not in lowered.split("/")[0]:
        return href
    return "#"
