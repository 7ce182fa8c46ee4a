"""`crisisplan serve` answers only requests that name this machine (a page that
rebinds its own name to 127.0.0.1 must not read the preview's contacts), and serves
nothing but a built site: no listing of any folder. A real PreviewServer on
127.0.0.1 (and ::1 where the system has it), asked with raw HTTP requests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from crisisplan.publish.serve import PreviewServer

PHONE = "+44 20 7946 0001"


def make_site(site: Path, index: bool = True) -> Path:
    (site / "assets" / "fonts").mkdir(parents=True)
    (site / "plans").mkdir()
    if index:
        (site / "index.html").write_text(f"<html><body><p>Crisis lead: {PHONE}</p></body></html>")
    (site / "plans" / "outage.html").write_text(f"<html><body><p>Call {PHONE}</p></body></html>")
    (site / "assets" / "main.css").write_text("body {}")
    (site / "assets" / "fonts" / "text.woff2").write_bytes(b"wOF2")
    return site


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    # One server for the module: stopping one waits for its poll interval.
    with PreviewServer(make_site(tmp_path_factory.mktemp("hosts") / "site"), "127.0.0.1", 0) as started:
        started.open()
        yield started


def raw(server: PreviewServer, request: str, address: str = "127.0.0.1") -> tuple[int, str]:
    """Status and whole answer (headers and body) of one request sent as written."""
    with socket.create_connection((address, server.port), timeout=30) as connection:
        connection.sendall(request.encode("latin-1"))
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    text = answer.decode("utf-8", "replace")
    if not text.startswith("HTTP/"):
        return 0, text  # the answer to an HTTP/0.9 request: a body alone
    return int(text.split(" ", 2)[1]), text


def get(server: PreviewServer, path: str, *headers: str, method: str = "GET", address: str = "127.0.0.1") -> tuple[int, str]:
    lines = "".join(f"{header}\r\n" for header in headers)
    return raw(server, f"{method} {path} HTTP/1.1\r\n{lines}Connection: close\r\n\r\n", address)


FOREIGN = [
    "attacker.example:{port}",
    "attacker.example",
    "ATTACKER.EXAMPLE:{port}",
    "attacker.example.:{port}",
    "localhost.attacker.example:{port}",
    "127.0.0.1.attacker.example:{port}",
    "attacker.example:{other}",
    "localhost:{port}@attacker.example",
    "attacker.example/localhost:{port}",
    "localhost:99999",
    "localhost:port",
    "localhost..:{port}",
    "",
    "[attacker.example]:{port}",
    "[::1:{port}",
    "10.0.0.5:{port}",  # an address, but not one a loopback server can be reached at
    "[2001:db8::1]:{port}",
]
OWN = [
    "127.0.0.1:{port}",
    "127.0.0.1",
    "127.0.0.1.:{port}",
    "localhost:{port}",
    "LocalHost:{port}",
    "localhost.:{port}",
    "[::1]:{port}",
    "[0:0:0:0:0:0:0:1]:{port}",
    # Another port: an ssh tunnel (ssh -L 9000:localhost:8000) or a container's
    # published port. A page cannot choose the port its browser names; the name is
    # what a rebinding page forges.
    "localhost:{other}",
]


@pytest.mark.parametrize("host", FOREIGN)
def test_a_request_naming_another_host_gets_no_plan_content(server: PreviewServer, host: str) -> None:
    value = host.format(port=server.port, other=server.port + 1)
    for path in ("/", "/plans/outage.html", "/.crisisplan-preview/build", "/assets/"):
        status, answer = get(server, path, f"Host: {value}")
        assert status == 421, (value, path, answer)
        assert PHONE not in answer and server.build not in answer
        assert answer.endswith(
            "\r\n\r\nMisdirected request: this preview answers only at this machine's own addresses, like "
            f"http://127.0.0.1:{server.port}/ (the address crisisplan serve printed), and this request named another host.\n"
        )
        assert "Content-Type: text/plain; charset=utf-8" in answer


@pytest.mark.parametrize("host", OWN)
def test_a_request_naming_this_machine_is_answered(server: PreviewServer, host: str) -> None:
    status, answer = get(server, "/", f"Host: {host.format(port=server.port, other=server.port + 1)}")
    assert status == 200 and PHONE in answer


def test_no_host_two_hosts_or_an_old_request_without_one_is_refused(server: PreviewServer) -> None:
    own = f"Host: 127.0.0.1:{server.port}"
    assert get(server, "/")[0] == 421
    assert get(server, "/", own, "Host: attacker.example")[0] == 421
    assert get(server, "/", "Host: attacker.example", own)[0] == 421
    status, answer = raw(server, "GET /\r\n\r\n")  # HTTP/0.9: no headers, and a body alone back
    assert status == 0 and answer.startswith("Misdirected request:") and PHONE not in answer
    status, answer = raw(server, "GET / HTTP/1.0\r\n\r\n")
    assert status == 421 and PHONE not in answer


def test_every_method_is_refused_for_another_host(server: PreviewServer) -> None:
    for method in ("HEAD", "POST", "PUT", "OPTIONS", "DELETE"):
        status, answer = get(server, "/", "Host: attacker.example", "Content-Length: 0", method=method)
        assert status == 421 and PHONE not in answer
    status, answer = get(server, "/", f"Host: localhost:{server.port}", method="HEAD")
    assert status == 200 and PHONE not in answer  # a HEAD answer has no body


def test_an_ipv6_loopback_server_answers_its_own_names_only(tmp_path: Path) -> None:
    try:
        bound = PreviewServer(make_site(tmp_path / "site"), "::1", 0)
    except OSError:
        pytest.skip("this system has no IPv6 loopback")
    with bound:
        bound.open()
        for host in ("[::1]:{port}", "[::1]", "localhost:{port}", "127.0.0.1:{port}"):
            assert get(bound, "/", f"Host: {host.format(port=bound.port)}", address="::1")[0] == 200
        for host in ("attacker.example:{port}", "[2001:db8::1]:{port}", "[::1]x"):
            status, answer = get(bound, "/", f"Host: {host.format(port=bound.port)}", address="::1")
            assert status == 421 and f"http://[::1]:{bound.port}/" in answer and PHONE not in answer


def test_a_server_for_other_machines_answers_their_addresses_and_this_machines_name() -> None:
    from crisisplan.publish.serve import HostCheck

    wildcard = HostCheck("0.0.0.0", "0.0.0.0")  # noqa: S104 (no server: the rule alone)
    machine = socket.gethostname()
    for host in ("192.168.1.5:8000", "10.0.0.5", "[2001:db8::1]:8000", "localhost:9000", machine, f"{machine.upper()}.:8000"):
        assert wildcard.accepts(host), host
    for host in ("attacker.example:8000", "attacker.example", f"{machine}.attacker.example", "[localhost]", ""):
        assert not wildcard.accepts(host), host
    named = HostCheck("preview.example.com", "203.0.113.5")
    for host in ("preview.example.com:8080", "PREVIEW.example.com.:8080", "203.0.113.5:8080", "localhost:8080"):
        assert named.accepts(host), host
    for other in ("example.com:8080", "preview.example.com.attacker.example:8080", None):
        assert not named.accepts(other), other


def test_a_loopback_server_does_not_answer_this_machines_name() -> None:
    # A loopback server is reached as localhost or by a loopback address: a name
    # resolving elsewhere cannot reach it, and one resolving here is a rebinding.
    from crisisplan.publish.serve import HostCheck

    assert not HostCheck("127.0.0.1", "127.0.0.1").accepts(socket.gethostname())
    assert HostCheck("localhost", "127.0.0.1").accepts("localhost:8000")


# --- Nothing but a built site --------------------------------------------------------


def test_no_folder_is_ever_listed(tmp_path: Path) -> None:
    with PreviewServer(make_site(tmp_path / "site", index=False), "127.0.0.1", 0) as bound:
        bound.open()
        host = f"Host: 127.0.0.1:{bound.port}"
        for path in ("/", "/assets/", "/assets/fonts/", "/plans/", "/%61ssets/", "/assets/./", "/x/../assets/", "//assets/"):
            for method in ("GET", "HEAD"):
                status, answer = get(bound, path, host, method=method)
                assert status == 404, (path, method, answer)
                assert "main.css" not in answer and "text.woff2" not in answer and "outage.html" not in answer
                assert "Directory listing" not in answer
        # A folder's address without its slash is sent to the address with it, which is a 404.
        status, answer = get(bound, "/assets", host)
        assert status == 301 and "Location: /assets/\r\n" in answer and "main.css" not in answer
        assert get(bound, "/plans/outage.html", host)[0] == 200
