// GraphiQL for deskql, served by deskql itself (no CDN): development mode only.
// Sign in with the `login` mutation, then put {"Authorization": "Bearer <token>"} in Headers.
(function () {
  "use strict";
  var url = window.location.origin + "/graphql";
  var socket = url.replace(/^http/, "ws");
  var params = new URLSearchParams(window.location.search);
  var fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: socket });
  var initial =
    params.get("query") ||
    "# deskql GraphQL API\n" +
      "# Sign in:  mutation { login(account: \"admin\", password: \"...\") { token } }\n" +
      "# then add {\"Authorization\": \"Bearer <token>\"} under Headers below.\n\n" +
      "{\n  helpCenter(channel: APP) {\n    enabled\n" +
      "    categories { name questions { title h5Url } }\n  }\n}\n";
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: initial,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    })
  );
})();
