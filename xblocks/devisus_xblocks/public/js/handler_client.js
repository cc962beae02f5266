/* The one way DEVISUS blocks call their handlers (see common/handlers.py for the server side):
 * POST a JSON object with Django's CSRF token; a 4xx/5xx reply rejects with {status, reply},
 * so the block can show reply.error, the translated message of the handler contract; a network
 * failure rejects with {status: 0}. Loaded before each block's own entry function. */
window.DevisusHandlers = window.DevisusHandlers || (function () {
    "use strict";

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    function post(runtime, element, name, data) {
        return fetch(runtime.handlerUrl(element, name), {
            method: "POST",
            credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
            body: JSON.stringify(data || {})
        }).then(function (response) {
            return response.json().catch(function () {
                return {};
            }).then(function (reply) {
                if (!response.ok) {
                    throw {status: response.status, reply: reply};
                }
                return reply;
            });
        }, function () {
            throw {status: 0, reply: {}};
        });
    }

    return {csrfToken: csrfToken, post: post};
}());
