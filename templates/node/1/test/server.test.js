import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";

import { createAppServer, GREETING, listenAddress, PROJECT } from "../server.js";

describe("server", () => {
  let server;
  let base;

  before(async () => {
    server = createAppServer();
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("greets on /", async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/plain/);
    assert.equal(await res.text(), GREETING);
  });

  it("reports health on /health", async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^application\/json/);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const res = await fetch(`${base}/no-such-page`);
    assert.equal(res.status, 404);
    assert.equal((await res.json()).error, "not found");
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
