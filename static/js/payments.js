// The Payment Element page: card, Alipay and WeChat Pay through Stripe.js (loaded from
// https://js.stripe.com/v3, the one script that is not vendored). Without JavaScript the
// order page still offers the bank transfer.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  var stripe = window.Stripe(form.dataset.publishableKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret, locale: "auto" });
  var paymentElement = elements.create("payment");
  var button = document.getElementById("payment-submit");
  var message = document.getElementById("payment-message");
  paymentElement.mount("#payment-element");
  paymentElement.on("ready", function () { button.hidden = false; });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: form.dataset.returnUrl }
    }).then(function (result) {
      if (result.error) {
        message.textContent = result.error.message;
        message.hidden = false;
        button.disabled = false;
      }
    });
  });
})();
