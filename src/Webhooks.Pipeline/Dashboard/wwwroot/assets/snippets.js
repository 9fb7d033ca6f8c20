// Copyable receiver code that checks a generic webhook's signature with the documented headers
// (docs/receiving.md: webhook-id, webhook-timestamp, webhook-signature = "v1,<base64 HMAC-SHA256 of
// "{id}.{timestamp}.{body}">" keyed with the base64 part of the secret after "whsec_").
// Chat webhooks are not signed: their URL's token is the credential.

const csharp = `// ASP.NET Core minimal API; WEBHOOK_SECRET is the whsec_... secret shown once on create.
using System.Security.Cryptography;
using System.Text;

app.MapPost("/webhooks", async (HttpRequest request) =>
{
    using var buffer = new MemoryStream();
    await request.Body.CopyToAsync(buffer);          // verify the raw bytes, before parsing
    var body = buffer.ToArray();
    var id = request.Headers["webhook-id"].ToString();
    var timestamp = request.Headers["webhook-timestamp"].ToString();
    if (!long.TryParse(timestamp, out var seconds)
        || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        return Results.Unauthorized();               // too old or too new: a replay
    var key = Convert.FromBase64String(Environment.GetEnvironmentVariable("WEBHOOK_SECRET")!["whsec_".Length..]);
    var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray();
    var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
    var valid = request.Headers["webhook-signature"].ToString().Split(' ')
        .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    return valid ? Results.Ok() : Results.Unauthorized(); // drop repeats: webhook-id is the same on every retry
});`;

const node = `// Node 18+ with Express; WEBHOOK_SECRET is the whsec_... secret shown once on create.
import crypto from 'node:crypto';
import express from 'express';

const app = express();
app.post('/webhooks', express.raw({ type: '*/*' }), (req, res) => {
  const id = req.header('webhook-id');
  const timestamp = req.header('webhook-timestamp');
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return res.sendStatus(401); // a replay
  const key = Buffer.from(process.env.WEBHOOK_SECRET.slice('whsec_'.length), 'base64');
  const expected = Buffer.from('v1,' + crypto.createHmac('sha256', key)
    .update(\`\${id}.\${timestamp}.\`).update(req.body).digest('base64'));
  const valid = (req.header('webhook-signature') || '').split(' ').some((s) =>
    s.length === expected.length && crypto.timingSafeEqual(Buffer.from(s), expected));
  res.sendStatus(valid ? 200 : 401); // drop repeats: webhook-id is the same on every retry
});
app.listen(3000);`;

const python = `# Flask; WEBHOOK_SECRET is the whsec_... secret shown once on create.
import base64, hashlib, hmac, os, time
from flask import Flask, request

app = Flask(__name__)

@app.post("/webhooks")
def webhooks():
    body = request.get_data()  # the raw bytes, before parsing
    msg_id = request.headers.get("webhook-id", "")
    timestamp = request.headers.get("webhook-timestamp", "0")
    if abs(time.time() - int(timestamp)) > 300:
        return "", 401  # a replay
    key = base64.b64decode(os.environ["WEBHOOK_SECRET"].removeprefix("whsec_"))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(digest).decode()
    valid = any(hmac.compare_digest(s, expected) for s in request.headers.get("webhook-signature", "").split(" "))
    return ("", 200) if valid else ("", 401)  # drop repeats: webhook-id is the same on every retry`;

/** The snippets for a webhook of `type`: [language, code] pairs, or none for chat types. */
export function verificationSnippets(type) {
  return type === 'generic' ? [['C#', csharp], ['Node', node], ['Python', python]] : [];
}

/** Per type: where to get the URL, shown in the create form. */
export const setupGuidance = {
  generic: 'Any HTTPS endpoint you run. Each delivery is signed: keep the signing secret shown after creating, and check it with the snippets on the webhook\'s page.',
  slack: 'In Slack: create an app (api.slack.com/apps) → Incoming Webhooks → turn on → "Add New Webhook to Workspace", pick a channel, then copy the https://hooks.slack.com/services/… URL.',
  teams: 'In Teams: on the channel, open Workflows → "Post to a channel when a webhook request is received", finish the template and copy the workflow URL it shows (https://….logic.azure.com/… or …powerplatform.com/…).',
  discord: 'In Discord: Server Settings → Integrations → Webhooks → New Webhook, choose the channel, then "Copy Webhook URL" (https://discord.com/api/webhooks/…).',
};
