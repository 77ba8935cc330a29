"""Where output the user names may go: a regular file (replaced atomically) in a folder that exists.

`--output PATH` replaces PATH by renaming a new file over it, which would also replace a device node, a
FIFO or a symbolic link with a plain file (as root, `/dev/full` itself): those are refused, as are a
folder and a folder that does not exist. A symbolic link is refused rather than followed, so that the
file written is the one named; give the link's target to write there.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ofsted_kg.errors import OutputError


def check_file(path: Path) -> None:
    """Refuse (OutputError) a PATH that is not a regular file or a new file in an existing folder."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        folder = path.parent
        if not folder.is_dir():
            raise OutputError(f"{path}: no folder {folder} to write it in") from None
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{path}: the folder {folder} may not be written") from None
        return
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({error.strerror or error})") from None
    if stat.S_ISLNK(mode):
        raise OutputError(
            f"{path}: is a symbolic link (to {os.readlink(path)}); ofsted-kg replaces only regular files, "
            "so give the file it points to"
        )
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise OutputError(
            f"{path}: is not a regular file (a device, FIFO or socket); ofsted-kg writes only regular "
            "files (use - for standard output)"
        )
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: the folder {path.parent} may not be written")


def check_folder(path: Path) -> None:
    """Refuse (OutputError) a PATH that exists and is not a folder (a graph or drawings go there)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"{path}: cannot be used ({error.strerror or error})") from None
    if not stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a file, not a folder; give a folder to write into")
