"""Exceptions raised by the library; the CLI maps them to exit codes."""

from __future__ import annotations


class PccgraphError(Exception):
    """Base class for every error pccgraph raises on purpose."""


class CorpusError(PccgraphError):
    """An input file or folder cannot be read as letters."""


class LetterParseError(PccgraphError):
    """A letter cannot be parsed at all."""


class ReferenceDataError(PccgraphError):
    """A reference table in data/reference is malformed."""


class OntologyError(PccgraphError):
    """The ontology cannot be loaded or disagrees with the code."""


class QueryError(PccgraphError):
    """A saved query is missing, malformed or failed to run."""


class OutputError(PccgraphError):
    """Outputs could not be written."""
