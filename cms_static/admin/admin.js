// The customer-service-center admin page. Talks only to /graphql and /cms/uploads.
// User data is always set with textContent; the only HTML inserted is the answer preview,
// which the server has already sanitized (previewHelpAnswer).
(function () {
  "use strict";

  var TOKEN_KEY = "deskql.token";
  var state = { categories: [], channels: [], selected: null, question: null };
  var $ = function (id) { return document.getElementById(id); };

  var Q = {
    login: "mutation Login($account: String!, $password: String!) { login(account: $account, password: $password) { token account { displayName permissions } } }",
    me: "query Me { me { displayName permissions } }",
    logout: "mutation Logout { logout }",
    all: "query HelpCategories { helpCategories { id name description imageUrl position questions { id title status position h5Url } } helpCenterChannels { channel enabled } }",
    question: "query AdminHelpQuestion($id: ID!) { helpQuestion(id: $id) { id title answerMarkdown answerHtml status position h5Url category { id name } } }",
    revisions: "query HelpQuestionRevisions($id: ID!) { helpQuestionRevisions(id: $id) { id number title authorName restoredFrom createdAt } }",
    preview: "query PreviewHelpAnswer($markdown: String!) { previewHelpAnswer(markdown: $markdown) }",
    createCategory: "mutation CreateHelpCategory($input: HelpCategoryInput!) { createHelpCategory(input: $input) { id } }",
    updateCategory: "mutation UpdateHelpCategory($id: ID!, $input: UpdateHelpCategoryInput!) { updateHelpCategory(id: $id, input: $input) { id } }",
    deleteCategory: "mutation DeleteHelpCategory($id: ID!, $deleteQuestions: Boolean = false) { deleteHelpCategory(id: $id, deleteQuestions: $deleteQuestions) }",
    reorderCategories: "mutation ReorderHelpCategories($ids: [ID!]!) { reorderHelpCategories(ids: $ids) { id position } }",
    createQuestion: "mutation CreateHelpQuestion($input: HelpQuestionInput!) { createHelpQuestion(input: $input) { id } }",
    updateQuestion: "mutation UpdateHelpQuestion($id: ID!, $input: UpdateHelpQuestionInput!) { updateHelpQuestion(id: $id, input: $input) { id } }",
    deleteQuestion: "mutation DeleteHelpQuestion($id: ID!) { deleteHelpQuestion(id: $id) }",
    reorderQuestions: "mutation ReorderHelpQuestions($categoryId: ID!, $ids: [ID!]!) { reorderHelpQuestions(categoryId: $categoryId, ids: $ids) { id position } }",
    publish: "mutation PublishHelpQuestion($id: ID!) { publishHelpQuestion(id: $id) { id status } }",
    unpublish: "mutation UnpublishHelpQuestion($id: ID!) { unpublishHelpQuestion(id: $id) { id status } }",
    restore: "mutation RestoreHelpQuestionRevision($revisionId: ID!) { restoreHelpQuestionRevision(revisionId: $revisionId) { id } }",
    setChannel: "mutation SetHelpCenterEnabled($channel: HelpChannel!, $enabled: Boolean!) { setHelpCenterEnabled(channel: $channel, enabled: $enabled) { channel enabled } }"
  };

  function token() { return sessionStorage.getItem(TOKEN_KEY); }

  function GraphQLFailure(error) {
    this.message = error.message;
    this.code = (error.extensions || {}).code;
    this.field = (error.extensions || {}).field;
  }

  function gql(query, variables) {
    var headers = { "Content-Type": "application/json" };
    if (token()) headers.Authorization = "Bearer " + token();
    return fetch("/graphql", { method: "POST", headers: headers,
      body: JSON.stringify({ query: query, variables: variables || {} }) })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (result.errors && result.errors.length) throw new GraphQLFailure(result.errors[0]);
        return result.data;
      });
  }

  function flash(text, kind) {
    var box = $("flash");
    box.textContent = text;
    box.className = kind || "ok";
    box.hidden = false;
    clearTimeout(flash.timer);
    if (kind !== "error") flash.timer = setTimeout(function () { box.hidden = true; }, 4000);
  }

  function fail(error) {
    if (error && error.code === "UNAUTHENTICATED") { showLogin(); }
    var detail = error && error.field ? " (" + error.field + ")" : "";
    flash((error && error.message ? error.message : String(error)) + detail, "error");
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, onClick, attrs) {
    var b = el("button", Object.assign({ type: "button" }, attrs || {}), label);
    b.addEventListener("click", onClick);
    return b;
  }

  // Session ----------------------------------------------------------------------------------

  function showLogin() {
    sessionStorage.removeItem(TOKEN_KEY);
    $("login-view").hidden = false;
    $("app-view").hidden = true;
    $("session").hidden = true;
  }

  function showApp(account) {
    if (account.permissions.indexOf("kc.manage") < 0) {
      showLogin();
      flash("This account does not have the customer service center permission (kc.manage).", "error");
      return;
    }
    $("who").textContent = account.displayName;
    $("login-view").hidden = true;
    $("app-view").hidden = false;
    $("session").hidden = false;
    reload();
  }

  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    gql(Q.login, { account: form.account.value, password: form.password.value })
      .then(function (data) {
        sessionStorage.setItem(TOKEN_KEY, data.login.token);
        form.password.value = "";
        $("flash").hidden = true;
        showApp(data.login.account);
      }).catch(fail);
  });

  $("logout").addEventListener("click", function () {
    gql(Q.logout).catch(function () {}).then(showLogin);
  });

  // Loading and rendering ----------------------------------------------------------------------

  function reload() {
    return gql(Q.all).then(function (data) {
      state.categories = data.helpCategories;
      state.channels = data.helpCenterChannels;
      if (state.selected && !findCategory(state.selected)) state.selected = null;
      if (!state.selected && state.categories.length) state.selected = state.categories[0].id;
      render();
    }).catch(fail);
  }

  function findCategory(id) {
    return state.categories.filter(function (c) { return c.id === id; })[0];
  }

  function render() {
    renderChannels();
    renderCategories();
    renderQuestions();
    var select = $("question-category");
    select.textContent = "";
    state.categories.forEach(function (c) { select.appendChild(el("option", { value: c.id }, c.name)); });
  }

  function renderChannels() {
    var box = $("channels");
    box.textContent = "";
    state.channels.forEach(function (ch) {
      var label = el("label", { "class": "channel" });
      var input = el("input", { type: "checkbox", "data-channel": ch.channel });
      input.checked = ch.enabled;
      input.addEventListener("change", function () {
        gql(Q.setChannel, { channel: ch.channel, enabled: input.checked })
          .then(function (d) {
            flash("Help center " + (d.setHelpCenterEnabled.enabled ? "on" : "off") + " for " + ch.channel);
          }).catch(function (e) { input.checked = !input.checked; fail(e); });
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(ch.channel));
      box.appendChild(label);
    });
  }

  function moveIn(list, index, delta) {
    var ids = list.map(function (x) { return x.id; });
    var target = index + delta;
    if (target < 0 || target >= ids.length) return null;
    ids.splice(target, 0, ids.splice(index, 1)[0]);
    return ids;
  }

  function renderCategories() {
    var list = $("categories");
    list.textContent = "";
    state.categories.forEach(function (c, i) {
      var li = el("li", { "data-category-id": c.id });
      if (c.id === state.selected) li.className = "selected";
      if (c.imageUrl) li.appendChild(el("img", { src: c.imageUrl, alt: "" }));
      var name = el("span", { "class": "grow" }, c.name + " (" + c.questions.length + ")");
      name.addEventListener("click", function () { state.selected = c.id; render(); });
      li.appendChild(name);
      li.appendChild(button("↑", function () { reorderCategories(moveIn(state.categories, i, -1)); }, { title: "Move up", "class": "up" }));
      li.appendChild(button("↓", function () { reorderCategories(moveIn(state.categories, i, 1)); }, { title: "Move down", "class": "down" }));
      li.appendChild(button("Edit", function () { editCategory(c); }, { "class": "edit" }));
      li.appendChild(button("Delete", function () { deleteCategory(c); }, { "class": "delete" }));
      list.appendChild(li);
    });
  }

  function renderQuestions() {
    var category = findCategory(state.selected);
    var list = $("questions");
    list.textContent = "";
    $("new-question").disabled = !category;
    $("questions-title").textContent = category ? "Questions in " + category.name : "Questions";
    if (!category) return;
    category.questions.forEach(function (q, i) {
      var li = el("li", { "data-question-id": q.id });
      var title = el("span", { "class": "grow" }, q.title);
      title.addEventListener("click", function () { openQuestion(q.id); });
      li.appendChild(title);
      li.appendChild(el("span", { "class": "badge " + q.status.toLowerCase() }, q.status));
      li.appendChild(button("↑", function () { reorderQuestions(category, moveIn(category.questions, i, -1)); }, { title: "Move up", "class": "up" }));
      li.appendChild(button("↓", function () { reorderQuestions(category, moveIn(category.questions, i, 1)); }, { title: "Move down", "class": "down" }));
      li.appendChild(button("Delete", function () { deleteQuestion(q); }, { "class": "delete" }));
      list.appendChild(li);
    });
  }

  // Categories -----------------------------------------------------------------------------

  function reorderCategories(ids) {
    if (!ids) return;
    gql(Q.reorderCategories, { ids: ids }).then(reload).catch(fail);
  }

  function editCategory(c) {
    var form = $("category-form");
    form.id.value = c.id;
    form.name.value = c.name;
    form.description.value = c.description;
    form.imageUrl.value = c.imageUrl || "";
    showImagePreview(c.imageUrl);
    $("category-form-title").textContent = "Edit category";
  }

  function clearCategoryForm() {
    var form = $("category-form");
    form.reset();
    form.id.value = "";
    form.imageUrl.value = "";
    showImagePreview(null);
    $("category-form-title").textContent = "New category";
  }

  function showImagePreview(url) {
    var img = $("category-image-preview");
    img.hidden = !url;
    if (url) img.src = url; else img.removeAttribute("src");
  }

  $("category-cancel").addEventListener("click", clearCategoryForm);

  $("category-form").image.addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (!file) return;
    var body = new FormData();
    body.append("file", file);
    fetch("/cms/uploads", { method: "POST", headers: { Authorization: "Bearer " + token() }, body: body })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (result.error) throw new GraphQLFailure({ message: result.error.message, extensions: result.error });
        $("category-form").imageUrl.value = result.url;
        showImagePreview(result.url);
        flash("Image uploaded");
      }).catch(fail);
  });

  $("category-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var input = { name: form.name.value, description: form.description.value,
                  imageUrl: form.imageUrl.value || null };
    var request = form.id.value
      ? gql(Q.updateCategory, { id: form.id.value, input: input })
      : gql(Q.createCategory, { input: input });
    request.then(function (data) {
      var saved = (data.createHelpCategory || data.updateHelpCategory);
      state.selected = saved.id;
      flash("Category saved");
      clearCategoryForm();
      return reload();
    }).catch(fail);
  });

  function deleteCategory(c) {
    if (!window.confirm("Delete category “" + c.name + "”?")) return;
    gql(Q.deleteCategory, { id: c.id }).catch(function (error) {
      if (error.code !== "CONFLICT") throw error;
      if (!window.confirm(error.message + " Delete the category and its questions?")) return null;
      return gql(Q.deleteCategory, { id: c.id, deleteQuestions: true });
    }).then(function (done) {
      if (done) { flash("Category deleted"); reload(); }
    }).catch(fail);
  }

  // Questions ------------------------------------------------------------------------------

  function reorderQuestions(category, ids) {
    if (!ids) return;
    gql(Q.reorderQuestions, { categoryId: category.id, ids: ids }).then(reload).catch(fail);
  }

  function deleteQuestion(q) {
    if (!window.confirm("Delete question “" + q.title + "”?")) return;
    gql(Q.deleteQuestion, { id: q.id }).then(function () {
      if (state.question === q.id) closeEditor();
      flash("Question deleted");
      reload();
    }).catch(fail);
  }

  $("new-question").addEventListener("click", function () {
    state.question = null;
    var form = $("question-form");
    form.reset();
    form.id.value = "";
    form.categoryId.value = state.selected;
    $("preview").textContent = "";
    $("revisions").textContent = "";
    $("editor-title").textContent = "New question";
    setEditorStatus(null, null);
    $("editor-card").hidden = false;
    form.title.focus();
  });

  function setEditorStatus(status, h5Url) {
    $("question-publish").hidden = status !== "DRAFT";
    $("question-unpublish").hidden = status !== "PUBLISHED";
    var link = $("question-h5");
    link.hidden = status !== "PUBLISHED";
    if (h5Url) link.href = h5Url;
  }

  function openQuestion(id) {
    Promise.all([gql(Q.question, { id: id }), gql(Q.revisions, { id: id })]).then(function (r) {
      var q = r[0].helpQuestion;
      state.question = q.id;
      var form = $("question-form");
      form.id.value = q.id;
      form.title.value = q.title;
      form.categoryId.value = q.category.id;
      form.markdown.value = q.answerMarkdown;
      $("preview").innerHTML = q.answerHtml;  // sanitized by the server
      $("editor-title").textContent = "Edit question";
      setEditorStatus(q.status, q.h5Url);
      renderRevisions(r[1].helpQuestionRevisions);
      $("editor-card").hidden = false;
    }).catch(fail);
  }

  function renderRevisions(revisions) {
    var list = $("revisions");
    list.textContent = "";
    revisions.forEach(function (rev, i) {
      var text = "#" + rev.number + " " + rev.title + " — " + (rev.authorName || "unknown") + ", " +
        new Date(rev.createdAt).toLocaleString() + (rev.restoredFrom ? " (restored #" + rev.restoredFrom + ")" : "");
      var li = el("li", { "data-revision": rev.number });
      li.appendChild(el("span", { "class": "grow" }, text));
      if (i > 0) li.appendChild(button("Restore", function () { restore(rev); }, { "class": "restore" }));
      list.appendChild(li);
    });
  }

  function restore(rev) {
    gql(Q.restore, { revisionId: rev.id }).then(function (data) {
      flash("Revision #" + rev.number + " restored");
      openQuestion(data.restoreHelpQuestionRevision.id);
      reload();
    }).catch(fail);
  }

  function closeEditor() {
    state.question = null;
    $("editor-card").hidden = true;
  }

  $("question-close").addEventListener("click", closeEditor);

  var previewTimer = null;
  $("markdown").addEventListener("input", function () {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      gql(Q.preview, { markdown: $("markdown").value }).then(function (data) {
        $("preview").innerHTML = data.previewHelpAnswer;  // sanitized by the server
      }).catch(fail);
    }, 250);
  });

  $("question-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    var request = form.id.value
      ? gql(Q.updateQuestion, { id: form.id.value, input: { title: form.title.value,
          markdown: form.markdown.value, categoryId: form.categoryId.value } })
      : gql(Q.createQuestion, { input: { categoryId: form.categoryId.value, title: form.title.value,
          markdown: form.markdown.value } });
    request.then(function (data) {
      var saved = data.createHelpQuestion || data.updateHelpQuestion;
      state.selected = form.categoryId.value;
      flash("Question saved");
      openQuestion(saved.id);
      return reload();
    }).catch(fail);
  });

  function setStatus(query) {
    gql(query, { id: $("question-form").id.value }).then(function () {
      flash("Status changed");
      openQuestion($("question-form").id.value);
      reload();
    }).catch(fail);
  }

  $("question-publish").addEventListener("click", function () { setStatus(Q.publish); });
  $("question-unpublish").addEventListener("click", function () { setStatus(Q.unpublish); });

  // Start ----------------------------------------------------------------------------------

  if (token()) {
    gql(Q.me).then(function (data) { showApp(data.me); }).catch(function () { showLogin(); });
  } else {
    showLogin();
  }
})();
