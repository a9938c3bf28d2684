"""Stage 1: read input files, decode them once, and cut them into letters.

Every letter is an exact slice of its document; only blank lines, and web-page
boilerplate that is reported, fall between letters.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from .dates import any_date, find_dates, is_date_line
from .errors import CorpusError
from .model import Document, Problem, RawLetter, Severity

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")
_EXTRACTED = (".pdf", ".docx")  # text is extracted; offsets and lines refer to that text
_HTML = (".html", ".htm")  # decoded like text, then the page's text is taken from its markup
_BINARY_MAGIC = (
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP/DOCX archive"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)

# "Dear Home Secretary," on its own line, or opening a paragraph ("Dear Priti, I write …")
SALUTATION = re.compile(
    r"^[ \t]*(?:\*\*)?Dear[ \t]+(?:[A-Z][^\n,.]{1,60},(?=[ \t]+\S)|[^\n]{1,80}$)", re.MULTILINE
)
SIGN_OFF = re.compile(
    r"^\W*(?:yours\s+(?:sincerely|faithfully|truly|ever)|kind(?:est)?\s+regards|best\s+wishes|"
    r"warm\s+regards|regards|with\s+(?:best|kind)\s+(?:wishes|regards))\b",
    re.IGNORECASE | re.MULTILINE,
)
# Page furniture of a converted PDF: protective markings and page numbers.
PAGE_FURNITURE = re.compile(
    r"^\s*(?:official(?:[- ]sensitive)?|not protectively marked|protect|restricted)\s*$|"
    r"^\s*(?:page\s+)?\d+\s+(?:of|/)\s+\d+\s*$|^\s*-\s*\d+\s*-\s*$",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_HEADER_START = re.compile(
    r"^(?:cc|c\.c\.|copy(?: to)?|date[d]?|to|from|ref|our ref|your ref|re|subject|by email|sent by|email)\b\s*[:\-.]?",
    re.IGNORECASE,
)
_HEADER_WORDS = re.compile(
    r"\b(?:rt\.? hon\.?|MP|home secretary|secretary of state|home office|house of commons|"
    r"marsham street|whitehall|westminster|street|road|lane|avenue|house|place|square|"
    r"london|headquarters|hq|po box|tel|telephone|e-?mail|www\.)\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"cookie|skip to (?:main )?content|accept all|reject all|privacy (?:notice|policy)|"
    r"©|\bcopyright\b|^home\s*[|>»/]|\bmenu\b|search this site|share this (?:page|article)|"
    r"back to top|sign up to|newsletter|follow us|accessibility statement|terms (?:and|&) conditions|"
    r"site ?map|related (?:news|articles|pages)|(?:\S+\s+\|\s+){2,}|you are here|\S\s+[>»]\s+\S+\s+[>»]\s|"
    r"^\s*download (?:this|the)\b|^\s*published:\s|^\s*(?:print|share)(?: this)?(?: page)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ReadResult:
    """Documents read plus the problems met on the way."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iter_input_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield ``(file, root)`` pairs for every file under ``paths``, sorted."""
    for path in paths:
        if path.is_dir():
            # Not only regular files: broken links and FIFOs are reported, not skipped silently.
            for child in sorted(p for p in path.rglob("*") if not p.is_dir()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child, path
        elif path.exists():
            yield path, path.parent
        else:
            raise CorpusError(f"{path}: no such file or folder")


def decode(data: bytes, name: str) -> tuple[str, str, list[Problem]]:
    """Decode bytes as UTF-8 (BOM allowed), falling back to cp1252 with a warning.

    Newlines are normalised to ``\\n`` here, once.
    """
    problems: list[Problem] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: Windows "Unicode" text
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            return text.replace("\r\n", "\n").replace("\r", "\n"), "utf-16", problems
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            encoding = "latin-1"
        else:
            encoding = "cp1252"
        problems.append(
            Problem(
                name,
                line,
                Severity.WARNING,
                f"not valid UTF-8 (first bad byte 0x{data[exc.start]:02x}); read as {encoding}. "
                "Save the file as UTF-8 to silence this.",
            )
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding, problems


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text has NUL bytes
    head = data[:8192]
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


class _PageText(HTMLParser):
    """The visible text of an HTML page, a paragraph per block element.

    Only the fallback for pages where trafilatura finds no main content (a tiny
    page, unusual markup): it keeps menus and footers, which the letter splitter
    then leaves out as boilerplate.
    """

    BLOCKS = {"p", "div", "section", "article", "header", "footer", "nav", "main", "aside", "h1", "h2",
              "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "address", "form"}  # fmt: skip
    LINES = {"br", "li", "tr", "dt", "dd"}
    HIDDEN = {"script", "style", "noscript", "template", "head", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif tag in self.LINES:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n\u00a0]+", " ", data))


def _tidy(text: str) -> str:
    """Spaces collapsed and lines stripped; at most one blank line between paragraphs."""
    lines = [re.sub(r"[ \t\r\f\v\u00a0\u2007\u202f\u200b]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def visible_text(markup: str) -> str:
    """Every visible word of an HTML page (menus and footers too): the fallback reader."""
    parser = _PageText()
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.parts))


# trafilatura's options, fixed here so that a page always reads the same way:
# no network, no comments, tables kept, no cross-document deduplication (a cache
# shared between calls would make the text depend on what was read before).
_TRAFILATURA = {
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
    "include_links": False,
    "include_images": False,
    "deduplicate": False,
    "with_metadata": True,
}
# ISO 639-1 codes: a translated copy of a page is served under one of them
# ("/ml/news/…") or says so in <html lang>.
_LANGUAGES = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv "
    "dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig "
    "ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh "
    "mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru "
    "rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug "
    "uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


def _render(body: object) -> str:
    """trafilatura's main-content tree as plain text: a paragraph per block, separated
    by blank lines; headings, list items and table rows each on their own line."""
    paragraphs: list[str] = []

    def inline(elem: object, skip: tuple[str, ...] = ()) -> str:
        # trafilatura collapses white space in the text it keeps; a newline left in
        # a text node comes from its baseline reader (a tiny page), one per block.
        parts = [(elem.text or "").replace("\n", "\n\n")]  # type: ignore[attr-defined]
        for child in elem:  # type: ignore[attr-defined]
            if child.tag in skip:
                pass
            elif child.tag == "lb":
                parts.append("\n")
            else:
                parts.append(inline(child, skip))
            parts.append((child.tail or "").replace("\n", "\n\n"))
        return "".join(parts)

    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", text).strip()

    def lines_of_list(elem: object, depth: int = 0) -> list[str]:
        out = []
        number = 0
        for item in elem:  # type: ignore[attr-defined]
            if item.tag != "item":
                continue
            number += 1
            marker = f"{number}." if elem.get("rend") == "ol" else "-"  # type: ignore[attr-defined]
            words = flat(inline(item, skip=("list",)))
            if words:
                out.append("  " * depth + f"{marker} {words}")
            for sub in item.iter("list"):
                if sub is not item and sub.getparent() is item:
                    out.extend(lines_of_list(sub, depth + 1))
        return out

    def lines_of_table(elem: object) -> list[str]:
        out = []
        for row in elem.iter("row"):  # type: ignore[attr-defined]
            cells = [flat(inline(cell)) for cell in row if cell.tag == "cell"]
            if any(cells):
                out.append(" | ".join(cells))
        return out

    def block(elem: object) -> None:
        tag = elem.tag  # type: ignore[attr-defined]
        if tag == "list":
            paragraphs.append("\n".join(lines_of_list(elem)))
        elif tag == "table":
            paragraphs.append("\n".join(lines_of_table(elem)))
        elif tag in ("div", "quote", "note") and any(
            child.tag in ("p", "list", "table", "head", "quote", "div") for child in elem  # type: ignore[attr-defined]
        ):
            if (elem.text or "").strip():  # type: ignore[attr-defined]
                paragraphs.append(elem.text)  # type: ignore[attr-defined]
            for child in elem:  # type: ignore[attr-defined]
                block(child)
                if (child.tail or "").strip():
                    paragraphs.append(child.tail)
        elif tag not in ("graphic", "fw"):
            paragraphs.append("\n".join(flat(line) for line in inline(elem).split("\n")))

    block_root = body
    if (block_root.text or "").strip():  # type: ignore[attr-defined]
        paragraphs.append(block_root.text)  # type: ignore[attr-defined]
    for child in block_root:  # type: ignore[attr-defined]
        block(child)
        if (child.tail or "").strip():
            paragraphs.append(child.tail)
    return _join_labels(_tidy("\n\n".join(p for p in paragraphs if p.strip())))


_LABEL = re.compile(r"[A-Z][\w'’()/&-]*(?: [\w'’()/&-]+){0,3}:")


def _join_labels(text: str) -> str:
    """A field label alone in its block ("Response from:", as a CMS lays out a labelled
    field) is put back on one line with its value, as the page shows it."""
    out: list[str] = []
    for para in text.split("\n\n"):
        if (
            out
            and _LABEL.fullmatch(out[-1].rsplit("\n", 1)[-1])
            and "\n" not in para
            and len(para) <= 120
            and not re.match(r"(?:-|\d+\.)\s", para)
        ):
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return "\n\n".join(out)


_BYLINE = re.compile(r"^(?:by|posted by|written by|published by|author)\b\s*:?\s*\S", re.IGNORECASE)


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def _heading(markup: str, title: str) -> str:
    """The page's own heading: the <h1> that is its title, else the first <h1> that is
    not the site's name in its banner, menu or footer; '' when there is none."""
    from trafilatura.utils import load_html

    tree = load_html(markup)
    if tree is None:
        return ""
    headings = []
    for h1 in tree.iter("h1"):
        words = re.sub(r"\s+", " ", h1.text_content()).strip()
        if not words:
            continue
        furniture = any(
            a.tag in ("nav", "footer", "aside") or re.search(r"logo|brand|site-?title|masthead", f"{a.get('class', '')} {a.get('id', '')}", re.I)
            for a in [h1, *h1.iterancestors()]
        )
        headings.append((words, furniture))
    wanted = _key(title)
    for words, _ in headings:
        if wanted and (_key(words) == wanted or (len(wanted) > 15 and (wanted in _key(words) or _key(words) in wanted))):
            return words
    return next((words for words, furniture in headings if not furniture), "")


def _with_heading(markup: str, text: str, title: str) -> str:
    """Put back the page's <h1> title and the date line or byline under it when the main
    content trafilatura chose begins below them (WordPress's "entry-content", say)."""
    heading = _heading(markup, title)
    if not heading:
        return text
    paragraphs = text.split("\n\n")
    text_keys = {_key(line) for line in text.split("\n") if line.strip()}
    page = [line for line in visible_text(markup).split("\n") if line.strip()]
    at = next((i for i, line in enumerate(page) if _key(line) == _key(heading)), None)
    if at is None:
        return text
    # the content's first line (without a list marker), as the page shows it
    first = [_key(re.sub(r"^(?:-|\d+\.)\s+", "", line)) for line in paragraphs[0].split("\n")]
    skip_first = first[0] == _key(heading)
    start = _key(re.sub(r"^(?:-|\d+\.)\s+", "", paragraphs[1 if skip_first and len(paragraphs) > 1 else 0].split("\n")[0]))[:60]
    lead: list[str] = []
    for line in page[at + 1 : at + 13]:
        if start and _key(line).startswith(start):
            break
        if len(line) <= 100 and (find_dates(line) or _BYLINE.match(line)) and _key(line) not in text_keys:
            lead.append(line)
    else:
        lead = []  # the content does not follow the heading closely: leave it alone
    if skip_first:
        return "\n\n".join([paragraphs[0], *lead, *paragraphs[1:]])
    if _key(heading) in text_keys:
        return text  # the heading is further down the content: the page's own order stands
    return "\n\n".join([heading, *lead, *paragraphs])


def _page_language(tree: object, url: str) -> str:
    """A non-English language the page is in, from <html lang> or a language folder
    opening its address ("/ml/…"), or ''."""
    lang = (tree.get("lang") or tree.get("xml:lang") or "").strip().lower()  # type: ignore[attr-defined]
    first = next((seg for seg in urlsplit(url).path.split("/") if seg), "").lower() if url else ""
    folder = first if re.fullmatch(r"[a-z]{2}(?:[-_][a-z]{2,4})?", first) else ""
    # a translating plug-in may leave <html lang="en"> on its copies: either one tells
    for said in (lang, folder):
        code = re.split(r"[-_]", said)[0] if said else ""
        if code in _LANGUAGES and code != "en":
            return code
    return ""


def read_page(markup: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The main content of a saved web page as plain text, and what the page says of itself.

    The text is trafilatura's main content (menus, cookie banners, breadcrumbs,
    share links, related news and footers left out; tables kept; comments
    dropped), a paragraph per block with blank lines between, headings, list
    items and table rows on their own lines. Where trafilatura finds no main
    content, every visible word is taken instead. Nothing is fetched.

    The metadata are sorted ``(key, value)`` pairs: title, date (``YYYY-MM-DD``,
    only from the page's own markup: never from its address, never today's date),
    author, url (canonical or og:url, else the browser's "saved from" note),
    hostname, sitename, and language when the page is not in English.
    """
    import trafilatura
    from htmldate import find_date
    from trafilatura.utils import load_html

    tree = load_html(markup)
    if tree is None:
        return visible_text(markup), ()
    found = trafilatura.bare_extraction(tree, **_TRAFILATURA)  # type: ignore[arg-type]
    text = _render(found.body) if found is not None and found.body is not None else ""
    meta: dict[str, str] = {}
    if found is not None:
        for key in ("title", "author", "url", "sitename"):
            value = getattr(found, key, None)
            if isinstance(value, str) and value.strip():
                meta[key] = re.sub(r"\s+", " ", value).strip()
    if text.strip():
        text = _with_heading(markup, text, meta.get("title", ""))
    else:
        text = visible_text(markup)
    if "url" not in meta:
        saved = _SAVED_FROM.search(markup)
        if saved and saved.group(1).startswith(("http://", "https://")):
            meta["url"] = saved.group(1)
    # The whole host name, not trafilatura's registered domain ("police.uk" for
    # every "<area>.pcc.police.uk"): offices are told apart by it.
    host = (urlsplit(meta["url"]).hostname or "").lower().removeprefix("www.") if "url" in meta else ""
    if host:
        meta["hostname"] = host
    # The date again, with htmldate told of no address: trafilatura would pass it the
    # canonical address and take a date written in it, and its extensive search reads
    # free text (a copyright year becomes 1 January).
    date = find_date(load_html(markup), url="", extensive_search=False, original_date=True)
    if date:
        meta["date"] = date
    language = _page_language(tree, meta.get("url", ""))
    if language:
        meta["language"] = language
    return text, tuple(sorted(meta.items()))


def html_text(markup: str) -> str:
    """The readable text of an HTML page (see :func:`read_page`)."""
    return read_page(markup)[0]


def _tidy_extracted(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return re.sub(r"\n{3,}", "\n\n", text)


def _extract_pages(data: bytes, suffix: str) -> tuple[str, tuple[int, ...]]:
    """The text of a PDF (pypdf, layout mode, so blank lines between paragraphs survive)
    or of a Word document (python-docx, one line per paragraph), and for a PDF the offset
    in that text where each page starts (page 1 at 0; an empty page starts where the
    next one does)."""
    import io

    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        text = ""
        starts: list[int] = []
        for page in reader.pages:
            raw = page.extract_text(extraction_mode="layout") or ""
            lines = [line.rstrip() for line in raw.replace("\f", "\n").splitlines()]
            indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
            cut = min(indents, default=0)
            # each page tidied on its own, so the offsets found here hold in the final text
            page_text = _tidy_extracted("\n".join(line[cut:] for line in lines)).strip("\n")
            if text and page_text:
                text += "\n\n"
            starts.append(len(text))
            text += page_text
        return text, tuple(starts)
    from docx import Document as WordDocument

    paragraphs = [p.text.rstrip() for p in WordDocument(io.BytesIO(data)).paragraphs]
    blank = sum(1 for p in paragraphs if not p.strip())
    # Word letters space paragraphs either with empty paragraphs or with spacing
    text = "\n".join(paragraphs) if blank >= len(paragraphs) // 10 else "\n\n".join(paragraphs)
    return _tidy_extracted(text), ()


def read_corpus(paths: Iterable[Path | str]) -> ReadResult:
    """Read every supported file under ``paths``.

    Args:
        paths: files and folders; folders are searched recursively.

    Returns:
        The decoded documents (sorted by path) and the problems met. Unsupported,
        empty, binary and unreadable files are reported and skipped.
    """
    documents: list[Document] = []
    problems: list[Problem] = []
    for file, root in iter_input_files([Path(p) for p in paths]):
        name = file.relative_to(root).as_posix() if file != root else file.name
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            problems.append(
                Problem(
                    name,
                    0,
                    Severity.WARNING,
                    f"skipped: unsupported file type {file.suffix or '(none)'!r}; "
                    f"pccgraph reads {', '.join(SUPPORTED_SUFFIXES)}",
                )
            )
            continue
        if not file.is_file():
            why = "a broken link" if file.is_symlink() and not file.exists() else "not a regular file"
            problems.append(Problem(name, 0, Severity.ERROR, f"cannot read: {why}"))
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            problems.append(Problem(name, 0, Severity.ERROR, f"cannot read: {exc.strerror or exc}"))
            continue
        if file.suffix.lower() in _EXTRACTED:
            try:
                text, page_starts = _extract_pages(data, file.suffix.lower())
            except Exception as exc:  # pypdf and python-docx raise many kinds of error
                kind = "PDF" if file.suffix.lower() == ".pdf" else "Word (.docx)"
                problems.append(
                    Problem(name, 0, Severity.ERROR, f"cannot read as {kind}: {exc.__class__.__name__}: {exc}")
                )
                continue
            if not text.strip():
                problems.append(
                    Problem(name, 1, Severity.WARNING, "skipped: no text could be extracted (a scanned image?)")
                )
                continue
            pages = (("pages", ",".join(map(str, page_starts))),) if page_starts else ()
            documents.append(Document(name, text, file.suffix.lower().lstrip("."), _sha256(data), pages))
            continue
        kind = _binary_kind(data)
        if kind:
            problems.append(Problem(name, 1, Severity.ERROR, f"skipped: {kind}, not text"))
            continue
        text, encoding, decode_problems = decode(data, name)
        problems.extend(decode_problems)
        meta: tuple[tuple[str, str], ...] = ()
        if file.suffix.lower() in _HTML and text.strip():
            text, meta = read_page(text)
            if not text.strip():
                problems.append(Problem(name, 1, Severity.WARNING, "skipped: no readable text in this web page"))
                continue
        if not text.strip():
            problems.append(Problem(name, 1, Severity.WARNING, "skipped: the file is empty"))
            continue
        documents.append(Document(name, text, encoding, _sha256(data), meta))
    documents.sort(key=lambda d: d.path)
    return ReadResult(tuple(documents), tuple(problems))


# ---------------------------------------------------------------------------
# Splitting a document into letters


@dataclass(frozen=True, slots=True)
class _Block:
    """Consecutive non-blank lines; ``first``/``last`` are 0-based line indexes."""

    first: int
    last: int


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    start: int | None = None
    for i, line in enumerate(lines):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            blocks.append(_Block(start, i - 1))
            start = None
    if start is not None:
        blocks.append(_Block(start, len(lines) - 1))
    return blocks


def _strip_md(line: str) -> str:
    return line.strip().strip("#*_>").strip()


def is_header_line(line: str) -> bool:
    """True for lines that belong to a letter's heading: address, date, Cc, Ref …"""
    text = _strip_md(line)
    if not text or len(text) > 120:
        return False
    if is_date_line(text) or _HEADER_START.match(text) or _POSTCODE.search(text):
        return True
    if len(text) <= 80 and _HEADER_WORDS.search(text) and not text.endswith((".", ":")):
        return True
    return False


def _is_header_block(lines: list[str], block: _Block) -> bool:
    texts = [lines[i] for i in range(block.first, block.last + 1)]
    if any(len(t.strip()) > 120 for t in texts):
        return False
    if any(re.match(r"\s*(yours|kind regards|best wishes|regards)\b", t, re.I) for t in texts):
        return False
    strong = sum(1 for t in texts if is_header_line(t))
    # A block of an address has at least one strong line; short lines beside it
    # (a town, "Home Office") come along with it.
    return strong >= 1 and all(len(_strip_md(t)) <= 80 for t in texts)


# Page furniture (a cookie banner, a breadcrumb, "Share this page") is a short line; a
# longer one is text, and is not searched: the cost stays bounded on a file of one huge line.
_BOILERPLATE_MAX_CHARS = 2_000


# Every alternative of _BOILERPLATE needs one of these (case-folded): a line with none of them
# is not searched, which spares most lines of a letter the regex's backtracking.
_BOILERPLATE_HINTS = (
    "cookie", "skip to", "accept all", "reject all", "privacy", "©", "copyright", "home", "menu",
    "search this site", "share", "back to top", "sign up to", "newsletter", "follow us",
    "accessibility statement", "terms", "site map", "sitemap", "related ", "you are here", "|", ">",
    "»", "download", "published:", "print",
)


def is_boilerplate(line: str) -> bool:
    """True for a line of web-page boilerplate (cookies, menus, share links) or PDF page furniture."""
    if len(line) > _BOILERPLATE_MAX_CHARS:
        return False
    folded = line.casefold()
    if any(hint in folded for hint in _BOILERPLATE_HINTS) and _BOILERPLATE.search(line):
        return True
    return bool(PAGE_FURNITURE.match(line))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def split_letters(doc: Document) -> tuple[list[RawLetter], list[Problem]]:
    """Cut a document into letters.

    Each letter is anchored on its salutation ("Dear …"); its start is found by
    walking back over the heading (address, date, Cc) and it ends at the last
    non-blank line before the next letter starts. Web-page boilerplate before
    the first and after the last letter is left out and reported.
    """
    lines = doc.text.split("\n")
    starts = _line_starts(doc.text)
    problems: list[Problem] = []
    blocks = _blocks(lines)
    if not blocks:
        return [], [Problem(doc.path, 1, Severity.WARNING, "no text")]
    line_of = {i: b for b in blocks for i in range(b.first, b.last + 1)}
    # Line numbers by bisection, not by counting newlines from the start each time:
    # splitting stays linear on files with thousands of letters.
    salutation_lines = [bisect_right(starts, m.start()) - 1 for m in SALUTATION.finditer(doc.text)]
    # Ignore a salutation quoted inside a long paragraph block, and a second one in the same block.
    salutation_lines = [i for i in salutation_lines if line_of[i].first == i or len(lines[i]) < 80]
    salutation_lines = [i for n, i in enumerate(salutation_lines) if not n or line_of[salutation_lines[n - 1]] is not line_of[i]]

    # Boilerplate matters only at the edges of the letters, so it is looked for
    # lazily, from the edges inwards: files can be huge.
    def boiler_at(i: int) -> bool:
        return bool(lines[i].strip()) and is_boilerplate(lines[i])

    def clean(b: _Block) -> bool:
        return not any(boiler_at(i) for i in range(b.first, b.last + 1))

    if not salutation_lines and not SIGN_OFF.search(doc.text) and not has_date(doc.text):
        return [], [
            Problem(
                doc.path,
                blocks[0].first + 1,
                Severity.WARNING,
                "no letter in this file: no salutation ('Dear …'), no date and no sign-off "
                "('Yours sincerely' …); nothing read from it",
            )
        ]
    if not salutation_lines:
        first_block, last_block = blocks[0], blocks[-1]
        first_clean = next((b for b in blocks if clean(b)), None)
        if first_clean is not None:
            first_block, last_block = first_clean, next(b for b in reversed(blocks) if clean(b))
        problems.append(
            Problem(
                doc.path,
                first_block.first + 1,
                Severity.WARNING,
                "no salutation ('Dear …') found; the whole file is read as one letter",
            )
        )
        spans = [(first_block.first, last_block.last)]
    else:
        block_index = {id(b): k for k, b in enumerate(blocks)}
        letter_starts: list[int] = []
        for n, sal in enumerate(salutation_lines):
            k = block_index[id(line_of[sal])]
            floor = block_index[id(line_of[salutation_lines[n - 1]])] + 1 if n else 0
            start_k = k
            while start_k - 1 >= floor and _is_header_block(lines, blocks[start_k - 1]):
                start_k -= 1
            if n == 0:
                last_before = next((i for i in range(sal - 1, -1, -1) if boiler_at(i)), None)
                if last_before is not None:
                    # A web page: the letter starts after the last boilerplate line
                    # (keeping a lead-in such as "… sent the following letter on …").
                    after = [b for b in blocks if last_before < b.first <= sal]
                    # boilerplate in the salutation's own block: start there, lose nothing
                    start_k = block_index[id(after[0])] if after else k
                else:
                    start_k = 0
            letter_starts.append(blocks[start_k].first)
        ends: list[int] = []
        lasts = [b.last for b in blocks]
        for n in range(len(letter_starts)):
            if n + 1 < len(letter_starts):
                nxt = letter_starts[n + 1]
                ends.append(lasts[bisect_left(lasts, nxt) - 1])  # the last block ending before nxt
            else:
                # the footer starts after the sign-off; page furniture ("Page 1 of 2",
                # "OFFICIAL") inside the letter does not end it
                sign_off = next(
                    (i for i in range(len(lines) - 1, salutation_lines[-1], -1) if SIGN_OFF.match(lines[i])), None
                )
                look_from = sign_off if sign_off is not None else salutation_lines[-1]
                tail = next((i for i in range(look_from + 1, len(lines)) if boiler_at(i)), None)
                candidates = [b for b in blocks if b.last >= letter_starts[n]]
                if tail is not None:
                    # end on the last non-blank line before the footer, even inside a block
                    end_line = next(
                        (i for i in range(tail - 1, letter_starts[n] - 1, -1) if lines[i].strip()), None
                    )
                    ends.append(end_line if end_line is not None else candidates[0].last)
                else:
                    ends.append(candidates[-1].last)
        spans = list(zip(letter_starts, ends, strict=True))
    # Report what is left out before the first and after the last letter (both cases).
    skipped_head = [b for b in blocks if b.last < spans[0][0]]
    skipped_tail = [
        _Block(i, i) for i in range(spans[-1][1] + 1, len(lines)) if lines[i].strip()
    ]
    for skipped, where in ((skipped_head, "before the first"), (skipped_tail, "after the last")):
        if skipped:
            problems.append(
                Problem(
                    doc.path,
                    skipped[0].first + 1,
                    Severity.INFO,
                    f"left out lines {skipped[0].first + 1}-{skipped[-1].last + 1} "
                    f"{where} letter (page boilerplate)",
                )
            )
    letters: list[RawLetter] = []
    for index, (first, last) in enumerate(spans):
        begin = starts[first]
        end = starts[last] + len(lines[last])
        text = doc.text[begin:end]
        letters.append(
            RawLetter(
                source=doc.path,
                index=index,
                text=text,
                offset=begin,
                start_line=first + 1,
                end_line=last + 1,
                sha256=_sha256(text.encode("utf-8")),
                meta=doc.meta,
            )
        )
    return letters, problems


def has_date(text: str) -> bool:
    """True when any date is written in ``text`` (stops at the first one)."""
    return any_date(text)
