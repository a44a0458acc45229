// A keys lab (templates/courses/labs/_keys.html): make an Ed25519 key pair in the browser,
// sign the challenge, check the signature, and see that a changed text fails. The private key
// is made non-extractable: it cannot leave this tab, is never kept and never sent. The public
// key and the signature of the challenge go in the form (and are kept for this tab).
const ED25519 = { name: "Ed25519" };

export function start({ $, hex, encode, say, announce, verdict, load, save, fill }) {
  const tool = $("#lab-keys");
  const challenge = $("#lab-challenge") ? $("#lab-challenge").textContent : "";
  const message = $("#lab-keys-message");
  const check = $("#lab-keys-check");
  const signButton = $("#lab-keys-sign");
  const verifyButton = $("#lab-keys-verify");
  const result = $("#lab-keys-verdict");
  const inForm = Boolean(document.getElementById("lab-signature"));
  let keys = null;
  let signature = null;

  const bytes = (text) => Uint8Array.from(text.match(/../g), (pair) => parseInt(pair, 16));
  function showKey(publicHex) {
    $("#lab-keys-public").textContent = publicHex;
    $("#lab-keys-public-out").hidden = false;
  }
  function showSignature(signatureHex) {
    $("#lab-keys-signature").textContent = signatureHex;
    $("#lab-keys-signature-out").hidden = false;
    verifyButton.disabled = false;
  }

  $("#lab-keys-make").addEventListener("click", async () => {
    keys = await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]);
    showKey(hex(await crypto.subtle.exportKey("raw", keys.publicKey)));
    signature = null;
    $("#lab-keys-signature-out").hidden = true;
    verifyButton.disabled = true;
    signButton.disabled = false;
    verdict(result, null, "");
    announce(say(tool, "made"));
  });

  signButton.addEventListener("click", async () => {
    const text = message.value;
    signature = new Uint8Array(await crypto.subtle.sign(ED25519, keys.privateKey, encode(text)));
    const publicHex = $("#lab-keys-public").textContent;
    showSignature(hex(signature));
    check.value = text;
    verdict(result, null, "");
    let note = "";
    if (challenge && text === challenge) {
      fill("lab-public-key", publicHex);
      fill("lab-signature", hex(signature));
      save({ challenge, publicKey: publicHex, signature: hex(signature) });
      note = inForm ? say(tool, "filled") : "";
    } else if (inForm) {
      note = say(tool, "notChallenge");
    }
    announce(say(tool, "signed"), note);
  });

  verifyButton.addEventListener("click", async () => {
    const ok = await crypto.subtle.verify(ED25519, keys.publicKey, signature, encode(check.value));
    verdict(result, ok, say(tool, ok ? "good" : "bad"));
    announce(result.textContent);
  });

  async function begin() {
    try {
      await crypto.subtle.generateKey(ED25519, false, ["sign", "verify"]);
    } catch {
      $("#lab-keys-steps").hidden = true;
      $("#lab-keys-unsupported").hidden = false;
      tool.hidden = false;
      return;
    }
    message.value = challenge;
    const kept = load();
    if (challenge && kept.challenge === challenge && kept.publicKey) {
      // Back after a language switch: the answer as it was; checking still works.
      fill("lab-public-key", kept.publicKey);
      fill("lab-signature", kept.signature);
      keys = { publicKey: await crypto.subtle.importKey("raw", bytes(kept.publicKey), ED25519, true, ["verify"]) };
      signature = bytes(kept.signature);
      showKey(kept.publicKey);
      showSignature(kept.signature);
      check.value = challenge;
      verdict(result, null, say(tool, "restored"));
    }
    tool.hidden = false;
  }
  begin();
}
