// "Was this helpful?" on the H5 answer page: one GraphQL mutation, no inline script (CSP).
(function () {
  "use strict";
  var main = document.querySelector("main[data-question-id]");
  if (!main) return;
  var id = main.getAttribute("data-question-id");
  var buttons = main.querySelectorAll("button[data-helpful]");
  var thanks = main.querySelector(".vote-thanks");
  var failed = main.querySelector(".vote-error");
  var MUTATION = "mutation VoteHelpQuestion($id: ID!, $helpful: Boolean!) {" +
    " voteHelpQuestion(id: $id, helpful: $helpful) { id helpfulCount notHelpfulCount } }";

  function vote(button) {
    var helpful = button.getAttribute("data-helpful") === "true";
    fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: MUTATION, variables: { id: id, helpful: helpful } })
    }).then(function (response) { return response.json(); }).then(function (result) {
      if (result.errors) throw new Error(result.errors[0].message);
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      thanks.hidden = false;
      failed.hidden = true;
    }).catch(function () {
      failed.hidden = false;
    });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () { vote(button); });
  });
})();
