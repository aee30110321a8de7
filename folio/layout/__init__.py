"""What folio learns from a laid-out edition: where each block landed (page map)."""
