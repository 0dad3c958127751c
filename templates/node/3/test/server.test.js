import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";

import { ALLOW, createAppServer, GREETING, listenAddress, PROJECT, shutdown } from "../server.js";

// The HTTP contract in README.md, one row per request: method, path, then the status, the
// Content-Type and body expected (`null`: no body), and whether `Allow` must be sent.
const TEXT = "text/plain; charset=utf-8";
const JSON_TYPE = "application/json";
const CONTRACT = [
  ["GET", "/", 200, TEXT, GREETING, false],
  ["HEAD", "/", 200, TEXT, null, false],
  ["GET", "/health", 200, JSON_TYPE, { status: "ok" }, false],
  ["HEAD", "/health", 200, JSON_TYPE, null, false],
  ["GET", "/?page=2", 200, TEXT, GREETING, false],
  ["OPTIONS", "/", 204, null, null, true],
  ["OPTIONS", "/health", 204, null, null, true],
  ["POST", "/", 405, JSON_TYPE, { error: "method not allowed", path: "/" }, true],
  ["PUT", "/health", 405, JSON_TYPE, { error: "method not allowed", path: "/health" }, true],
  ["DELETE", "/", 405, JSON_TYPE, { error: "method not allowed", path: "/" }, true],
  ["PATCH", "/health", 405, JSON_TYPE, { error: "method not allowed", path: "/health" }, true],
  ["GET", "/no-such-page", 404, JSON_TYPE, { error: "not found", path: "/no-such-page" }, false],
  ["POST", "/no-such-page", 404, JSON_TYPE, { error: "not found", path: "/no-such-page" }, false],
  ["HEAD", "/no-such-page", 404, JSON_TYPE, null, false],
  ["OPTIONS", "/no-such-page", 404, JSON_TYPE, { error: "not found", path: "/no-such-page" }, false],
  ["GET", "/health/", 404, JSON_TYPE, { error: "not found", path: "/health/" }, false],
];

/** One request with `node:http` (fetch cannot send every method, and HEAD must show no body). */
function call(base, method, path) {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("HTTP contract", () => {
  let server;
  let base;

  before(async () => {
    server = createAppServer();
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await shutdown(server);
  });

  for (const [method, path, status, type, body, allow] of CONTRACT) {
    it(`${method} ${path} -> ${status}`, async () => {
      const res = await call(base, method, path);
      assert.equal(res.status, status);
      assert.equal(res.headers["content-type"], type ?? undefined);
      assert.equal(res.headers.allow, allow ? ALLOW : undefined);
      if (body === null) {
        assert.equal(res.body, "");
      } else if (typeof body === "string") {
        assert.equal(res.body, body);
      } else {
        assert.deepEqual(JSON.parse(res.body), body);
      }
    });
  }
});

describe("shutdown", () => {
  it("closes idle keep-alive connections at once", async () => {
    const server = createAppServer();
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const res = await fetch(`http://127.0.0.1:${server.address().port}/health`);
    assert.equal(res.status, 200);
    await res.text();
    const started = Date.now();
    assert.equal(await shutdown(server, 5000), true);
    assert.ok(Date.now() - started < 1000);
  });
});

describe("PROJECT", () => {
  it("names the project", () => {
    assert.equal(typeof PROJECT.name, "string");
    assert.ok(PROJECT.name.length > 0);
    assert.equal(typeof PROJECT.description, "string");
  });
});

describe("listenAddress", () => {
  it("reads HOST and PORT from the environment", () => {
    assert.deepEqual(listenAddress({ HOST: "0.0.0.0", PORT: "8081" }), { host: "0.0.0.0", port: 8081 });
  });

  it("refuses a PORT that is not a port number", () => {
    assert.throws(() => listenAddress({ PORT: "http" }), /PORT must be an integer/);
  });
});
