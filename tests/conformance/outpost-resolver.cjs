// Preloaded into the conformance scripts (node --require): names under the server's DNS suffix resolve to the
// loopback address, as a user's hosts entries or local DNS would make them. The SDKs themselves are untouched.
const dns = require("dns");
const suffix = process.env.OUTPOST_DNS_SUFFIX;
const lookup = dns.lookup;
dns.lookup = function outpostLookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (suffix && (hostname === suffix || hostname.endsWith(`.${suffix}`))) {
    if (options && options.all) {
      return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
    }
    return process.nextTick(callback, null, "127.0.0.1", 4);
  }
  return lookup.call(this, hostname, options, callback);
};
