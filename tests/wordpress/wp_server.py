"""A real, throwaway WordPress on 127.0.0.1 for the publish tests.

Needs the Debian packages ``wordpress mariadb-server php-mysql php-gd php-cli``. Everything
lives in one scratch folder (short, under /tmp, because a unix socket path is limited to ~100
bytes): a MariaDB data directory and socket (no TCP), and a docroot of symlinks to
/usr/share/wordpress with our own ``wp-config.php`` beside them. Debian's own wp-config.php reads
/etc/wordpress/config-HOST.php; instead of writing there, PHP's built-in server runs a router
that defines ``ABSPATH`` as the scratch docroot before any WordPress file loads, so every entry
point (index.php, wp-admin/*.php, which include ``dirname(__DIR__)/wp-load.php`` through the
resolved symlink) finds our config. Nothing outside the scratch folder is written.

Application Passwords need HTTPS unless the environment type is "local": the config says so.
``start()`` installs WordPress with ``wp_install()`` and creates one application password for
the admin; ``stop()`` terminates exactly the two processes it started and removes the folder.

Run ``python tests/wordpress/wp_server.py`` to get a site for manual checks (Ctrl+C stops it).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

WP_SOURCE = Path("/usr/share/wordpress")
PACKAGES = ("wordpress", "mariadb-server", "php-mysql", "php-gd", "php-cli")
ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-password-for-tests"

ROUTER = r"""<?php
// php -S router: every request loads WordPress with ABSPATH = this docroot (our wp-config.php).
define('ABSPATH', __DIR__ . '/wp/');
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?: '/');
$file = ABSPATH . ltrim($path, '/');
if (is_dir($file)) {
    $file = rtrim($file, '/') . '/index.php';
}
if (!is_file($file)) {
    $file = ABSPATH . 'index.php';
    $path = '/index.php';
} elseif (substr($file, -4) !== '.php') {
    return false;  // static file (uploads, CSS, JS): served by php -S itself
}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/' . ltrim(substr($file, strlen(ABSPATH)), '/');
$_SERVER['SCRIPT_FILENAME'] = $file;
chdir(dirname($file));
require $file;
"""

CONFIG = """<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_HOME', '{url}');
define('WP_SITEURL', '{url}');
define('WP_CONTENT_DIR', '{content}');
define('WP_CONTENT_URL', '{url}/wp-content');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', false);
define('FS_METHOD', 'direct');
{salts}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
"""

INSTALL = r"""<?php
define('WP_INSTALLING', true);
define('ABSPATH', '{docroot}/');
$_SERVER['HTTP_HOST'] = '{host}';
$_SERVER['REQUEST_URI'] = '/';
require ABSPATH . 'wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$r = wp_install('PhotoCaption tests', '{user}', 'admin@example.org', false, '', '{password}');
update_option('permalink_structure', '');
$app = WP_Application_Passwords::create_new_application_password(
    $r['user_id'], array('name' => 'photocaption-tests'));
if (is_wp_error($app)) {{ fwrite(STDERR, $app->get_error_message()); exit(1); }}
echo json_encode(array('user_id' => $r['user_id'], 'app_password' => $app[0]));
"""


class WordPressUnavailable(RuntimeError):
    """The packages are missing and cannot be installed, or the site did not come up."""


def packages_present() -> bool:
    return (WP_SOURCE / "wp-settings.php").is_file() and all(
        shutil.which(tool) for tool in ("php", "mariadbd", "mariadb-install-db", "mariadb")
    ) and _php_has("mysqli") and _php_has("gd")


def _php_has(module: str) -> bool:
    php = shutil.which("php")
    if not php:
        return False
    out = subprocess.run([php, "-m"], capture_output=True, text=True, check=False).stdout
    return module in out.lower().split()


def ensure_packages() -> None:
    """Install the packages with apt-get when running as root and they are missing (as CI)."""
    if packages_present():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise WordPressUnavailable(f"needs the Debian packages {' '.join(PACKAGES)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False, capture_output=True)
    done = subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], env=env, check=False,
                          capture_output=True, text=True)
    if done.returncode != 0 or not packages_present():
        raise WordPressUnavailable(f"could not install {' '.join(PACKAGES)}: "
                                   f"{done.stderr.strip()[-300:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class WordPressSite:
    """One running site; ``url`` has no trailing slash."""

    root: Path
    url: str = ""
    user: str = ADMIN_USER
    app_password: str = ""
    port: int = 0
    _procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def socket(self) -> Path:
        return self.root / "db" / "mysqld.sock"

    @property
    def uploads(self) -> Path:
        return self.root / "content" / "uploads"

    def start(self, timeout: float = 60.0) -> WordPressSite:
        try:
            self._start_db(timeout)
            self._write_site()
            self._install()
            self._start_php(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _run(self, *cmd: str, stdin: str | None = None) -> str:
        done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False,
                              timeout=120)
        if done.returncode != 0:
            raise WordPressUnavailable(f"{cmd[0]} failed: {(done.stderr or done.stdout)[-500:]}")
        return done.stdout

    def _start_db(self, timeout: float) -> None:
        data = self.root / "db" / "data"
        data.mkdir(parents=True)
        user = ["--user=root"] if os.geteuid() == 0 else []
        self._run("mariadb-install-db", "--no-defaults", f"--datadir={data}", *user,
                  "--auth-root-authentication-method=normal", "--skip-test-db")
        log = open(self.root / "db" / "mariadbd.log", "wb")  # noqa: SIM115 - the child owns it
        self._procs.append(subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={data}", f"--socket={self.socket}",
             "--skip-networking", f"--pid-file={self.root / 'db' / 'mariadbd.pid'}",
             "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=8M", *user],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self._procs[0].poll() is not None:
                raise WordPressUnavailable("mariadbd exited: " + (self.root / "db" /
                                           "mariadbd.log").read_text(errors="replace")[-500:])
            done = subprocess.run(["mariadb", f"--socket={self.socket}", "-uroot", "-e",
                                   "CREATE DATABASE IF NOT EXISTS wordpress"],
                                  capture_output=True, check=False)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise WordPressUnavailable("MariaDB did not start in time")
            time.sleep(0.2)

    def _write_site(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        docroot = self.root / "wp"
        docroot.mkdir()
        for entry in WP_SOURCE.iterdir():
            if entry.name not in ("wp-config.php", "wp-content"):
                (docroot / entry.name).symlink_to(entry)
        content = self.root / "content"
        (content / "uploads").mkdir(parents=True)
        for sub in ("themes", "plugins", "languages"):
            (content / sub).symlink_to(WP_SOURCE / "wp-content" / sub)
        (docroot / "wp-content").symlink_to(content)
        salts = "\n".join(f"define('{k}', '{os.urandom(16).hex()}');" for k in (
            "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
            "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
        (docroot / "wp-config.php").write_text(CONFIG.format(
            socket=self.socket, url=self.url, content=content, salts=salts))
        (self.root / "router.php").write_text(ROUTER)

    def _install(self) -> None:
        script = self.root / "install.php"
        script.write_text(INSTALL.format(docroot=self.root / "wp", host=f"127.0.0.1:{self.port}",
                                         user=self.user, password=ADMIN_PASSWORD))
        out = self._run("php", str(script))
        start = out.find("{")
        try:
            self.app_password = json.loads(out[start:])["app_password"]
        except (ValueError, KeyError) as err:
            raise WordPressUnavailable(f"WordPress install printed {out[-300:]!r}") from err

    def _start_php(self, timeout: float) -> None:
        log = open(self.root / "php.log", "wb")  # noqa: SIM115 - the child owns it
        self._procs.append(subprocess.Popen(
            ["php", "-d", "upload_max_filesize=32M", "-d", "post_max_size=40M",
             "-d", "memory_limit=512M", "-S", f"127.0.0.1:{self.port}", "-t",
             str(self.root / "wp"), str(self.root / "router.php")],
            cwd=self.root / "wp", stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env=dict(os.environ, PHP_CLI_SERVER_WORKERS="2")))
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/?rest_route=/", timeout=5) as r:
                    if r.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                pass
            if self._procs[-1].poll() is not None or time.monotonic() > deadline:
                raise WordPressUnavailable("php -S did not serve WordPress: " + (
                    self.root / "php.log").read_text(errors="replace")[-500:])
            time.sleep(0.2)

    def stop_php(self) -> None:
        """Stop only the web server (to test "server down")."""
        if len(self._procs) > 1:
            _terminate(self._procs.pop())

    def stop(self) -> None:
        while self._procs:
            _terminate(self._procs.pop())
        shutil.rmtree(self.root, ignore_errors=True)


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    """Stop ``proc`` and the workers it forked: its own process group (start_new_session)."""
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        deadline = time.monotonic() + wait  # php -S workers leave after their parent
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


def start_site() -> WordPressSite:
    ensure_packages()
    return WordPressSite(Path(tempfile.mkdtemp(prefix="pcwp-"))).start()


if __name__ == "__main__":
    site = start_site()
    print(f"{site.url}  user {site.user}  application password {site.app_password}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
