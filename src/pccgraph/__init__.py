"""pccgraph: a knowledge graph of PCC responses to HMIC inspection reports.

The library a notebook calls::

    import pccgraph
    result = pccgraph.build(["data/letters"], "output")
    result.dataset  # rdflib Dataset, one named graph per letter
"""

from .errors import PccgraphError
from .pipeline import BuildResult, build

__all__ = ["BuildResult", "PccgraphError", "build"]
