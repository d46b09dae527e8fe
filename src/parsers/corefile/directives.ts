// CoreDNS v1.14.x directive list: plugin.cfg (coredns/coredns v1.14.7), in plugin.cfg order,
// which is also the plugin execution order. This is the list the Corefile parser accepts;
// any other directive name fails with "Unknown directive 'NAME'" at parse time.
// See shared/research/coredns-spec.md §2.

export const COREDNS_DIRECTIVES: readonly string[] = Object.freeze([
  "root",
  "metadata",
  "geoip",
  "cancel",
  "proxyproto",
  "quic",
  "grpc_server",
  "https",
  "https3",
  "timeouts",
  "multisocket",
  "reload",
  "nsid",
  "bufsize",
  "bind",
  "debug",
  "trace",
  "ready",
  "health",
  "pprof",
  "shed",
  "prometheus",
  "errors",
  "log",
  "dnstap",
  "local",
  "dns64",
  "any",
  "chaos",
  "loadbalance",
  "tsig",
  "rewrite",
  "autopath",
  "acl",
  "cache",
  "header",
  "dnssec",
  "tls",
  "minimal",
  "template",
  "transfer",
  "hosts",
  "route53",
  "azure",
  "clouddns",
  "k8s_external",
  "kubernetes",
  "file",
  "auto",
  "secondary",
  "etcd",
  "loop",
  "forward",
  "grpc",
  "erratic",
  "whoami",
  "on",
  "sign",
  "view",
  "nomad",
]);

/** The CoreDNS version whose plugin.cfg COREDNS_DIRECTIVES reproduces. */
export const COREDNS_DIRECTIVES_VERSION = "1.14.7";

/** Directives of the default build that come from outside the coredns/coredns tree. */
export const COREDNS_EXTERNAL_DIRECTIVES: readonly string[] = Object.freeze(["on"]);

/** Zero-based execution position of a directive, or -1 when it is not in the v1.14.x list. */
export function corednsDirectiveOrder(name: string): number {
  return COREDNS_DIRECTIVES.indexOf(name);
}
