// Preloaded with `node --import` by test/security.test.ts: every way Node opens a network
// connection or resolves a name throws, and the attempt is appended to $KNL_NET_LOG.
import { appendFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import dgram from "node:dgram";
import dns from "node:dns";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import tls from "node:tls";

function refuse(what) {
  return function refused() {
    const log = process.env.KNL_NET_LOG;
    if (log) appendFileSync(log, `${what}\n`);
    throw new Error(`kube-netlint test: network access refused (${what})`);
  };
}

const patch = (obj, name, names) => {
  for (const n of names) if (typeof obj[n] === "function") obj[n] = refuse(`${name}.${n}`);
};
patch(net, "net", ["connect", "createConnection", "createServer"]);
net.Socket.prototype.connect = refuse("net.Socket.connect");
patch(tls, "tls", ["connect", "createServer"]);
patch(http, "http", ["request", "get", "createServer"]);
patch(https, "https", ["request", "get", "createServer"]);
patch(http2, "http2", ["connect", "createServer", "createSecureServer"]);
patch(dgram, "dgram", ["createSocket"]);
patch(dns, "dns", ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny", "resolveCname", "resolveMx", "resolveNs", "resolveSrv", "resolveTxt", "reverse"]);
patch(dns.promises, "dns.promises", ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny", "reverse"]);
if (typeof globalThis.fetch === "function") globalThis.fetch = refuse("fetch");
if (typeof globalThis.WebSocket === "function") globalThis.WebSocket = refuse("WebSocket");
syncBuiltinESMExports();
