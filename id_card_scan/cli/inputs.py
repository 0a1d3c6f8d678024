"""Turning the PATH arguments into the list of image files to read."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from id_card_scan.cli.errors import UsageError

# The formats the service accepts (images.ACCEPTED_FORMATS), by their usual extensions.
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"})


@dataclass(frozen=True)
class ImageFile:
    path: Path
    # The name records and messages use: the path as the user wrote it, or the folder as
    # written joined with the file's place in it, so a script can map results back.
    name: str


def collect_images(
    arguments: Sequence[str],
    *,
    recursive: bool,
    warn: Callable[[str], None],
) -> list[ImageFile]:
    """Files named directly are read whatever their extension (the user asked for them);
    folders give their image files, sorted. A missing path is a usage error: better to
    stop before any work than to run a long batch and miss a file."""
    found: list[ImageFile] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            in_folder = _folder_images(argument, recursive=recursive)
            if not in_folder:
                warn(f"no image files in folder {argument}")
            candidates = in_folder
        elif path.is_file():
            candidates = [ImageFile(path, argument)]
        elif path.exists():
            # A FIFO or a device would block the read or never end.
            raise UsageError(f"not a regular file or folder: {argument}")
        else:
            raise UsageError(f"no such file or folder: {argument}")
        for image in candidates:
            key = image.path.resolve()
            if key not in seen:  # the same file named twice is read once
                seen.add(key)
                found.append(image)
    if not found:
        raise UsageError("no input image files found")
    return found


def _folder_images(folder: str, *, recursive: bool) -> list[ImageFile]:
    root = Path(folder)
    if recursive:
        paths = [Path(directory, name) for directory, _, names in os.walk(root) for name in names]
    else:
        paths = [entry for entry in root.iterdir() if entry.is_file()]
    images = [path for path in paths if path.suffix.lower() in IMAGE_EXTENSIONS and path.is_file()]
    # A folder's own files first, then each subfolder's, by name: the same order on every
    # machine (os.walk and iterdir follow the file system's order).
    images.sort(key=lambda path: (path.relative_to(root).parts[:-1], path.name))
    return [ImageFile(path, os.path.join(folder, *path.relative_to(root).parts)) for path in images]
