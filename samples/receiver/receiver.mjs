// A webhook receiver for trying the pipeline locally, and the Node verification example of the
// docs/receiving.md: it checks both signature schemes a generic webhook delivery carries, then prints it.
//
//   WEBHOOK_SECRET=whsec_... node samples/receiver/receiver.mjs      (listens on 127.0.0.1:4000)
//
// Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) is verified with the
// standardwebhooks package, which also refuses timestamps more than 5 minutes off (replays).
// X-Webhook-Signature is "sha256=" + hex HMAC-SHA256 of the raw body keyed with the whole secret
// string; during a secret rotation it holds one value per valid secret, comma-separated.
import { createServer } from "node:http";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";

const { Webhook } = createRequire(import.meta.url)("standardwebhooks");
const secret = process.env.WEBHOOK_SECRET;
const port = Number(process.env.PORT ?? 4000);
const seen = new Set();

function verifyStandard(body, headers) {
  try {
    new Webhook(secret).verify(body.toString("utf8"), headers);
    return true;
  } catch {
    return false;
  }
}

function verifyHex(body, header) {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(body).digest("hex"));
  return (header ?? "").split(",").map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const id = req.headers["webhook-id"];
    if (secret && !(verifyStandard(body, req.headers) && verifyHex(body, req.headers["x-webhook-signature"]))) {
      console.log(`REFUSED ${id}: a signature does not verify with WEBHOOK_SECRET`);
      res.writeHead(401).end();
      return;
    }
    // Deliveries are at least once: the delivery id is the key to drop a repeat.
    const repeat = seen.has(id) ? " (repeat, ignored)" : "";
    seen.add(id);
    console.log(`${secret ? "verified" : "unverified (no WEBHOOK_SECRET)"} ${req.headers["x-webhook-event"] ?? ""} ${id}${repeat}`);
    console.log(body.toString("utf8"));
    res.writeHead(200).end();
  });
}).listen(port, "127.0.0.1", () => console.log(`receiver listening on http://127.0.0.1:${port}/`));
