"""Manual check, not part of the suite: publish the test photos to a throwaway WordPress and open
the post in the real block editor (headless Chromium), printing each block's validity.

Needs ``chromium`` (Debian) and ``npm install puppeteer-core`` in the folder given as NODE_DIR:

    python tests/wordpress/editor_check.py NODE_DIR OUT_DIR

Writes OUT_DIR/editor.png and OUT_DIR/preview.png.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.wordpress import wp_server  # noqa: E402
from tests.wordpress.test_publish import ORDER, make_folder  # noqa: E402


def main(node_dir: Path, out_dir: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="pc-editor-check-"))
    paths = make_folder(work / "photos")
    site = wp_server.start_site()
    try:
        env = dict(os.environ, WP_CHECK_PASSWORD=site.app_password,
                   XDG_DATA_HOME=str(work / "data"))
        done = subprocess.run(
            [sys.executable, "-m", "editor", "publish", *(str(paths[n]) for n in ORDER),
             "--site", site.url, "--user", site.user, "--app-password-env", "WP_CHECK_PASSWORD",
             "--post-title", "Rain & <dusk>"], cwd=ROOT, env=env, capture_output=True, text=True)
        print(done.stdout, done.stderr, sep="\n")
        match = re.search(r"post (\d+)", done.stdout)
        if not match:
            return 1
        shutil.copy(Path(__file__).with_name("editor_check.cjs"), node_dir / "editor_check.cjs")
        out_dir.mkdir(parents=True, exist_ok=True)
        check = subprocess.run(
            ["node", "editor_check.cjs", site.url, site.user, wp_server.ADMIN_PASSWORD,
             match.group(1), str(out_dir.resolve())], cwd=node_dir, text=True, timeout=300)
        return check.returncode
    finally:
        site.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2])))
