"""The ledger's export streams, on the demo district's two years of cases.

As the bureau admin: GET /api/v1/cases/export as CSV and as .xlsx must come chunked (no
Content-Length: written as read), hold one row per case the ledger counts, and the .xlsx
must be a real deflated workbook that Python's zipfile opens and tests. A client that
closes the connection after the first chunk must stop the work: the server's CPU time over
the next two seconds stays a small part of what the whole export took (CPU time, not wall
time, so a busy machine does not change it). bench/export_stream.py measures the same on a million cases.
"""
import csv
import http.client
import io
import sys
import time
import zipfile

from yiju_server import Server, cpu_seconds, verdict

def get(server, token, path, read_all=True):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    connection.request("GET", path, headers={"Authorization": "Bearer " + token})
    response = connection.getresponse()
    first = response.read1(65536)
    if not read_all:
        connection.sock.close()
        return response, first
    body = first + response.read()
    connection.close()
    return response, body


def main():
    server = Server(port=18087)
    server.start()
    token = server.token("admin")
    status, page = server.api("GET", "/cases?limit=1", token)
    total = page["total"]
    problems = []

    response, body = get(server, token, "/api/v1/cases/export")
    if response.getheader("Content-Length") or response.getheader("Transfer-Encoding") != "chunked":
        problems.append(f"CSV not streamed: Content-Length {response.getheader('Content-Length')}, Transfer-Encoding {response.getheader('Transfer-Encoding')}")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    if len(rows) - 1 != total:
        problems.append(f"CSV has {len(rows) - 1} rows, the ledger {total}")

    pid = server.process.pid
    before = cpu_seconds(pid)
    response, body = get(server, token, "/api/v1/cases/export?format=xlsx")
    whole = cpu_seconds(pid) - before
    if response.getheader("Content-Length") or response.getheader("Transfer-Encoding") != "chunked":
        problems.append("xlsx not streamed")
    with zipfile.ZipFile(io.BytesIO(body)) as workbook:
        bad = workbook.testzip()
        sheet = workbook.getinfo("xl/worksheets/sheet1.xml")
        xml = workbook.read(sheet)
        if bad or sheet.compress_type != zipfile.ZIP_DEFLATED:
            problems.append(f"xlsx: bad entry {bad}, sheet compression {sheet.compress_type}")
        sheet_rows = xml.count(b"<row ") - 1
        if sheet_rows != total:
            problems.append(f"xlsx has {sheet_rows} rows, the ledger {total}")
        ratio = len(body) / sheet.file_size

    get(server, token, "/api/v1/cases/export?format=xlsx", read_all=False)
    time.sleep(0.5)
    mark = cpu_seconds(pid)
    time.sleep(2)
    after = cpu_seconds(pid) - mark
    status, _ = server.api("GET", "/cases?limit=1", token)
    server.stop()
    # A few pages may still be read before a write finds the connection gone; the whole
    # export is many times that.
    if after > 0.15 * whole:
        problems.append(f"the server used {after:.2f} s of CPU in the 2 s after the client left, the whole export {whole:.2f} s: the export went on")
    if status != 200:
        problems.append(f"the server answered {status} after the client left")
    print(f"export: {total} cases as CSV ({len(rows) - 1} rows) and .xlsx ({sheet_rows} rows, {len(body) // 1024} KB, "
          f"{ratio:.0%} of the sheet's size), both chunked; after a disconnect at the first chunk the server used "
          f"{after:.2f} s of CPU in the next 2 s, against {whole:.2f} s for the whole .xlsx")
    return verdict(problems)


if __name__ == "__main__":
    sys.exit(main())
