"""Command-line parsing and the run loop of ``id-card-scan``."""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import httpx

from id_card_scan import __version__
from id_card_scan.cli.backends import Backend, LocalBackend, RemoteBackend
from id_card_scan.cli.errors import (
    EXIT_BACKEND,
    EXIT_IMAGE_ERRORS,
    EXIT_OK,
    EXIT_USAGE,
    BackendUnavailable,
    UsageError,
)
from id_card_scan.cli.fields import (
    DEFAULT_FIELDS,
    ExtractRequest,
    build_request,
    field_argument,
    timeout_argument,
)
from id_card_scan.cli.inputs import ImageFile, collect_images
from id_card_scan.cli.output import FORMATS, Writer, make_writer
from id_card_scan.pipeline import Pipeline
from id_card_scan.records import is_error
from id_card_scan.settings import SettingsError, load_settings

PROG = "id-card-scan"
TOKEN_ENV = "ID_CARD_SCAN_TOKEN"

EPILOG = """\
records:
  Each image gives the record the HTTP API puts in data.results, whichever backend
  reads it; an image that failed gives {filename, error_code, message}. Besides the
  API's codes: FILE_UNREADABLE (the file could not be read), REQUEST_TIMEOUT (--url:
  no answer within --timeout). CSV: ocr gives file,line_index,text,confidence,box
  (x1 y1 ... x4 y4),error_code; extract gives file, one column per field, error_code.
  Card content goes only to the output, never to stderr.

exit codes:
  0  every image was read
  1  some images failed; the others are still read and in the output
  2  usage error: bad arguments, no input image found, bad --field or --fields-json,
     invalid configuration (environment or .env)
  3  backend unusable: the server at --url cannot be reached or refuses the request
     as a whole (wrong token, server error), or the OCR models cannot be loaded
"""

_DEFAULT_FIELDS_HELP = "\n".join(f"  {key:<20}{text}" for key, text in DEFAULT_FIELDS.items())


def main(argv: Sequence[str] | None = None, *, pipeline: Pipeline | None = None) -> int:
    """Run the command; returns the exit code. ``pipeline``: one already built (tests
    reuse one rather than load the models per call); it is left open."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or argparse's own usage error
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    _configure_logging(verbose=args.verbose)
    try:
        return _run(args, pipeline)
    except UsageError as error:
        _stderr(f"error: {error}")
        return EXIT_USAGE
    except BackendUnavailable as error:
        _stderr(str(error))
        return EXIT_BACKEND
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do, and keep Python
        # from failing again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + 13  # as if killed by SIGPIPE, like a shell reports it


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Read Vietnamese identity cards from image files: OCR or field extraction.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _common_options()

    ocr = commands.add_parser(
        "ocr",
        parents=[common],
        help="every text line with confidence and box",
        description="OCR each image: its text lines in reading order, with confidence and box.",
        epilog=EPILOG,
        formatter_class=formatter,
    )
    ocr.add_argument(
        "--text-only",
        action="store_true",
        help="texts alone, without confidence and box (the API's display_text_box=false)",
    )

    extract = commands.add_parser(
        "extract",
        parents=[common],
        help="the fields you name (needs an LLM on the backend)",
        description="Extract fields from each image. Without --field or --fields-json, "
        "these standard fields:\n" + _DEFAULT_FIELDS_HELP,
        epilog=EPILOG,
        formatter_class=formatter,
    )
    which = extract.add_mutually_exclusive_group()
    which.add_argument(
        "--field",
        action="append",
        type=field_argument,
        metavar="KEY=DESCRIPTION",
        help='a field to read, e.g. id_number="Số căn cước" (repeat for more)',
    )
    which.add_argument(
        "--fields-json",
        metavar="FILE_OR_JSON",
        help="the API's info object (key -> description) or a whole config, as JSON text, "
        "a file, or - for stdin",
    )
    extract.add_argument(
        "--mode",
        choices=("one_call", "per_field"),
        default=None,
        help="one LLM request per image (default) or one per field",
    )
    extract.add_argument(
        "--llm-timeout",
        type=timeout_argument,
        default=None,
        metavar="SECONDS",
        help="limit for each LLM request (default 30)",
    )
    extract.add_argument(
        "--boxes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="add the OCR lines with boxes (ocr_data) to each record",
    )
    return parser


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="an image, or a folder: its .jpg .jpeg .png .webp .bmp .tif .tiff files, sorted",
    )
    common.add_argument(
        "-r", "--recursive", action="store_true", help="also read the images of subfolders"
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", help="log engine set-up (never card content)"
    )
    output = common.add_argument_group("output")
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help="json: one document {results, processed_count, error_count} (default); "
        "jsonl: one record per line, as read; csv: ocr one row per line, extract one per image",
    )
    output.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    output.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: for several images when stderr is a terminal)",
    )
    remote = common.add_argument_group("remote service (default: read in this process)")
    remote.add_argument(
        "--url",
        metavar="URL",
        help="send each image to the service at URL, e.g. http://host:8000",
    )
    remote.add_argument(
        "--token",
        metavar="TOKEN",
        help=f"the service's HARD_TOKEN (default: ${TOKEN_ENV}, which keeps it out of ps)",
    )
    remote.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=180.0,
        metavar="SECONDS",
        help="wait at most this long for the answer on one image (default 180)",
    )
    return common


def _positive_seconds(raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError("must be over 0")
    return seconds


def _run(args: argparse.Namespace, pipeline: Pipeline | None) -> int:
    # Everything the user can get wrong is checked before models load or a request leaves.
    images = collect_images(args.paths, recursive=args.recursive, warn=_stderr)
    request: ExtractRequest | None = None
    if args.command == "extract":
        request = build_request(
            args.field,
            args.fields_json,
            mode=args.mode,
            llm_timeout=args.llm_timeout,
            display_text_box=args.boxes,
        )
    base_url = _base_url(args.url) if args.url else None
    with _open_output(args.output) as stream:
        backend = _make_backend(args, base_url, pipeline)
        try:
            # After the backend: a run that cannot start writes nothing, not a CSV header.
            field_keys = list(request.options.fields) if request is not None else None
            writer = make_writer(args.format, stream, field_keys=field_keys)
            errors = _process(images, backend, request, args, writer)
        finally:
            backend.close()
    return EXIT_IMAGE_ERRORS if errors else EXIT_OK


def _process(
    images: list[ImageFile],
    backend: Backend,
    request: ExtractRequest | None,
    args: argparse.Namespace,
    writer: Writer,
) -> int:
    """Read every image in order; returns how many failed."""
    show = args.progress if args.progress is not None else len(images) > 1 and _stderr_is_tty()
    progress = _Progress(len(images), enabled=show)
    errors = 0
    try:
        for image in images:
            if request is None:
                record = backend.ocr(image.path, image.name, display_text_box=not args.text_only)
            else:
                record = backend.extract(image.path, image.name, request)
            if is_error(record):
                errors += 1
                # The file and the code only: a message could one day quote the card.
                progress.message(f"{PROG}: {image.name}: {record['error_code']}")
            writer.write(record)
            progress.advance()
    finally:
        progress.close()
    writer.finish(len(images) - errors, errors)
    return errors


def _make_backend(
    args: argparse.Namespace, base_url: str | None, pipeline: Pipeline | None
) -> Backend:
    if base_url is not None:
        token = args.token if args.token is not None else os.environ.get(TOKEN_ENV)
        return RemoteBackend(base_url, token=token, timeout=args.timeout)
    if pipeline is not None:
        return LocalBackend(pipeline, owned=False)
    try:
        settings = load_settings()
    except SettingsError as error:
        raise UsageError(str(error)) from None
    try:
        built = Pipeline.from_settings(settings)
    except Exception as error:  # nothing can be read: say why, without a traceback
        raise BackendUnavailable(
            f"cannot load the OCR engine: {type(error).__name__}: {error}"
        ) from None
    return LocalBackend(built, owned=True)


def _base_url(raw: str) -> str:
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError):
        raise UsageError(f"--url is not a URL: {raw!r}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise UsageError(f"--url must look like http://host:8000, not {raw!r}")
    base = str(url.copy_with(query=None, fragment=None)).rstrip("/")
    # Accept the blueprint's prefix too: users paste what they see in the API docs.
    return base.removesuffix("/id_card_scan")


@contextlib.contextmanager
def _open_output(path: str | None) -> Iterator[TextIO]:
    if path is None:
        stream = sys.stdout
        # Vietnamese text must come out as UTF-8 whatever the locale (a C locale is common
        # in containers and cron jobs).
        if isinstance(stream, io.TextIOWrapper) and stream.encoding.lower() not in (
            "utf-8",
            "utf8",
        ):
            stream.reconfigure(encoding="utf-8")
        yield stream
        stream.flush()
        return
    try:
        # newline="": the csv module writes its own line ends.
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot write --output {path}: {exc.strerror}") from None
    with handle:
        yield handle


class _Progress:
    """A tqdm bar on stderr, or nothing; messages go above the bar rather than through it."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.bar: Any = None
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:  # tqdm comes with rapidocr; without it, just no bar
                return
            self.bar = tqdm(total=total, unit="image", file=sys.stderr, dynamic_ncols=True)

    def advance(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _stderr(text: str) -> None:
    print(f"{PROG}: {text}", file=sys.stderr)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def _configure_logging(*, verbose: bool) -> None:
    # Engine warnings only, unless asked; no-op when the host (e.g. pytest) set logging up.
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format=f"{PROG}: %(levelname)s: %(name)s: %(message)s",
        stream=sys.stderr,
    )
