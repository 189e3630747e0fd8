"""Candidate figures from documents: read, find counts, classify, write for curation.

(documents -> text is powcount.document_text, which add-source reads with too)
candidates  number phrases that are counts (years, footnotes, names... left out)
sentences   the sentence each stands in, as its quote
classify    proposed quantity, conflict, nation and unit, by keyword rules
extractor   one text -> candidates
runner      files and folders -> candidates, over processes
output      candidates -> tables, JSON, and data/figures/<source>.yaml
"""

from powcount.extract.classify import Classifier, Proposal, VocabularyCodes
from powcount.extract.extractor import Candidate, extract_text
from powcount.extract.runner import Extraction, Failure, extract_paths, load_codes

__all__ = [
    "Candidate", "Classifier", "Extraction", "Failure", "Proposal", "VocabularyCodes",
    "extract_paths", "extract_text", "load_codes",
]
