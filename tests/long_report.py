"""A report of some 70 pages, written for folio's tests from sentences of its own: a
seeded shuffle of them into numbered paragraphs, chapters, sections, lists and notes, so
that the text has the mix of short and long words, names and figures that a report has, and
is the same at every run. Its chapters open on new pages (the chunked layout route); the
seed report's run on (the single pass)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

SUBJECTS = ["The working group", "The secretariat", "Each regional commission", "The review panel",
            "Several delegations", "The statistical office", "The steering committee",
            "Participants from coastal States", "The technical advisers", "Most national authorities"]
VERBS = ["examined", "welcomed", "questioned", "summarized", "documented", "compared", "endorsed",
         "recommended", "monitored", "reconsidered", "strengthened", "clarified"]
OBJECTS = ["the methodology for estimating seasonal labour movements",
           "a framework for sharing administrative records across borders",
           "the quality of household surveys in rural districts",
           "guidelines on the protection of personal information",
           "the timetable agreed at the previous session",
           "proposals to harmonize definitions of temporary residence",
           "an inventory of data sources maintained by ministries",
           "the financing of statistical capacity in small island States",
           "indicators of access to health care and education",
           "the consolidated reporting template for 2031",
           "arrangements for consultation with civil society",
           "recommendations on disaggregation by age and sex"]
CLAUSES = ["although the resources available remained limited",
           "so that comparisons over time would become possible",
           "while noting that several countries had not yet responded",
           "in close cooperation with the specialized agencies",
           "because earlier estimates had been revised substantially",
           "once the pilot studies in three regions were completed",
           "with particular attention to the needs of least developed countries",
           "without prejudice to the decisions of the governing bodies",
           "as requested in the resolution adopted last year",
           "notwithstanding considerable differences in national practice"]
REMARKS = ["Progress was uneven.", "Much remained to be done.",
           "Further consultations were scheduled for the autumn.",
           "The discussion that followed was lively and constructive.",
           "Concrete examples were presented by four delegations.",
           "Questions of interoperability were raised repeatedly.",
           "A written summary would be circulated to all participants.",
           "Transparency and accountability were regarded as essential.",
           "The representative of Switzerland offered to host a follow-up meeting in Geneva.",
           "Between 2015 and 2030 the population concerned is expected to grow by 14 per cent."]
TOPICS = ["data collection", "international cooperation", "capacity development", "labour mobility",
          "population estimates", "regional integration", "administrative registers",
          "monitoring and evaluation", "financing", "partnerships"]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(REMARKS)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.6:
        text += f", {rng.choice(CLAUSES)}"
    return text + "."


def paragraph(rng: random.Random, notes: list[str]) -> str:
    sentences = [sentence(rng) for _ in range(rng.randint(2, 7))]
    if rng.random() < 0.08:
        label = f"n{len(notes) + 1}"
        notes.append(f"[^{label}]: {sentence(rng)} {sentence(rng)}")
        sentences[0] = sentences[0][:-1] + f"[^{label}]."
    return " ".join(sentences)


def long_report(chapters: int = 16, seed: int = 19) -> str:
    """The Markdown source (about 4 pages a chapter; 16 chapters: 68 pages, 1,800 lines of running
    text, 180 of them hyphenated; 28 took twice the time for no rule the 16 do not exercise)."""
    rng = random.Random(seed)
    notes: list[str] = []
    out = ["---", "title: Annual review of statistical cooperation", "short-title: Statistical cooperation",
           "symbol: TEST/TYPE/1", "year: 2031", "paragraph-numbers: true", "contents-depth: 2", "---", "",
           "# Preface {.front .preface}", "", paragraph(rng, notes), ""]
    for chapter in range(1, chapters + 1):
        out += [f"# {rng.choice(TOPICS).capitalize()} in the review of {2000 + chapter}", ""]
        for section in range(1, 4):
            out += [f"## {rng.choice(TOPICS).capitalize()}: part {section}", ""]
            for _ in range(rng.randint(4, 7)):
                out += [paragraph(rng, notes), ""]
            if rng.random() < 0.3:
                out += [f"- {sentence(rng)}" for _ in range(3)] + [""]
    return "\n".join(out + notes) + "\n"


@dataclass(frozen=True)
class LineRead:
    """A line of running text as tests/typeset.py reads it, without its characters (hundreds of
    MB for the long report): what test_hyphenation and test_justification measure of it, read
    once for both (conftest: long_report_lines)."""
    page: int
    number: int
    block: str
    ends_paragraph: bool
    ends_body: bool
    right: float
    left: float
    end: float
    text: str
    hyphenated: bool
    widths: tuple

    def spaces(self) -> list[float]:
        return list(self.widths)


def read_lines(source: Path, pdf: Path) -> list[LineRead]:
    from typeset import running_lines
    return [LineRead(line.page, line.number, line.block, line.ends_paragraph, line.ends_body, line.right,
                     line.left, line.end, line.text, line.hyphenated, tuple(line.spaces()))
            for line in running_lines(source, pdf)]
