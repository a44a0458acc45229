// Binds a certificate to an Ed25519 key made in the browser (templates/courses/_holder_key.html).
// The private key stays on the device: it is offered as a file (JWK or PKCS#8 PEM) and never sent.
(function () {
  "use strict";
  var box = document.getElementById("holder-key");
  var button = document.getElementById("holder-key-make");
  if (!box || !button || !window.crypto || !window.crypto.subtle) { return; }
  var status = document.getElementById("holder-key-status");
  var csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  button.hidden = false;

  function b64url(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function pem(buffer) {
    var body = btoa(String.fromCharCode.apply(null, new Uint8Array(buffer)));
    return "-----BEGIN PRIVATE KEY-----\n" + body.match(/.{1,64}/g).join("\n") + "\n-----END PRIVATE KEY-----\n";
  }
  function offer(id, text, type) {
    var link = document.getElementById(id);
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = "";
    var keys;
    crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]).catch(function () {
      throw new Error(box.dataset.failed);
    }).then(function (made) {
      keys = made;
      return Promise.all([
        crypto.subtle.exportKey("jwk", keys.privateKey),
        crypto.subtle.exportKey("pkcs8", keys.privateKey),
        crypto.subtle.exportKey("raw", keys.publicKey)
      ]);
    }).then(function (exported) {
      offer("holder-key-jwk", JSON.stringify(exported[0], null, 2), "application/json");
      offer("holder-key-pem", pem(exported[1]), "application/x-pem-file");
      document.getElementById("holder-key-files").hidden = false;
      keys.raw = exported[2];
      return post(box.dataset.challengeUrl);
    }).then(function (challenge) {
      keys.challenge = challenge.challenge;
      return crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey,
        new TextEncoder().encode(challenge.message));
    }).then(function (signature) {
      return post(box.dataset.bindUrl, {
        challenge: keys.challenge, public_key: b64url(keys.raw), signature: b64url(signature)
      });
    }).then(function (bound) {
      status.textContent = bound.message + " " + box.dataset.made;
      status.dataset.did = bound.did;
    }).catch(function (error) {
      status.textContent = error.message;
      button.disabled = false;
    });
  });
})();
