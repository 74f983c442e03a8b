"""Bridge between jianbao and a resident LibreOffice — run by a Python that has ``uno``.

Not imported by jianbao: :mod:`jianbao.converter` runs this file as a script with the Python that
belongs to LibreOffice (the system ``python3`` with python3-uno on Debian/UOS/Kylin, LibreOffice's
own ``program/python.exe`` on Windows), which is usually not the Python jianbao runs in.  So it
uses only the standard library and ``uno``, and no syntax newer than Python 3.8.

    python3 uno_bridge.py PORT CONNECT_SECONDS

It connects to the LibreOffice listening on 127.0.0.1:PORT, says ``JIANBAO {"ready": true}`` on
stdout, then reads one request per line on stdin — ``{"src": "/a/b.docx", "dest": "/tmp/x.pdf"}``
— and answers each with ``JIANBAO {"ok": true}`` or ``JIANBAO {"ok": false, "error": "…",
"dead": …}``.  When stdin closes (jianbao is done, or gone) it asks LibreOffice to quit.
"""

import json
import sys
import time

PREFIX = "JIANBAO "


def reply(obj):
    sys.stdout.write(PREFIX + json.dumps(obj) + "\n")
    sys.stdout.flush()


def prop(name, value):
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(port, seconds):
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = "uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % port
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:  # NoConnectException while LibreOffice starts
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def convert(desktop, src, dest):
    import uno

    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                       (prop("Hidden", True), prop("ReadOnly", True)))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        doc.storeToURL(uno.systemPathToFileUrl(dest), (prop("FilterName", "writer_pdf_Export"),))
    finally:
        try:
            doc.close(True)
        except Exception:
            pass


def main():
    port, seconds = int(sys.argv[1]), float(sys.argv[2])
    try:
        desktop = connect(port, seconds)
    except Exception as exc:
        reply({"ready": False, "error": "%s: %s" % (type(exc).__name__, exc)})
        return 1
    reply({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            convert(desktop, req["src"], req["dest"])
            reply({"ok": True})
        except Exception as exc:
            name = type(exc).__name__
            # the connection is gone: LibreOffice died
            dead = name in ("DisposedException", "RuntimeException") or "Binary URP bridge" in str(exc)
            reply({"ok": False, "error": "%s: %s" % (name, exc), "dead": dead})
            if dead:
                return 1
    try:
        desktop.terminate()
    except Exception:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
