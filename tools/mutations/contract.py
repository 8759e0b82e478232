"""Deliberate defects: the OpenAPI contract. Each breaks what the document promises (or the document
itself), and the suite's check of every exchange against the document (support/harness/
openapi_contract.py) must turn the named scenarios red."""
from mutations.common import API, DELIVERY, PASSWORD, REVOKE, Mutation

MUTATIONS = [
    Mutation("contract-doc-forgets-gated-404", "the document lists the 404 a gated address answers outsiders",
             "portal/web/openapi.py", "    if gated:\n        wanted.add(404)\n", "",
             DELIVERY, "cannot see the dead letters"),
    Mutation("contract-guest-refusal-as-json", "a refused guest gets the documented HTML page, not JSON",
             "portal/sharing/guest_router.py",
             'def refusal(request: Request) -> HTMLResponse:\n    return _page(request, "share_link_unavailable.html", status=404)',
             'def refusal(request: Request) -> HTMLResponse:\n    from portal.web.errors import error_response\n'
             '    return error_response(404, "not_found", "Nothing is here.")',
             REVOKE, "Gina cannot open a link Theo has revoked"),
    Mutation("contract-wrong-password-answers-200", "a wrong password answers the documented 401",
             "portal/sharing/guest_router.py", "        return _password_page(request, token, wrong=True)",
             "        return _password_page(request, token, status=200, wrong=True)", PASSWORD, "A wrong password is refused"),
    Mutation("contract-422-in-fastapi-shape", "a 422 carries the documented error body, not FastAPI's",
             "portal/web/errors.py",
             '    return error_response(422, "validation_failed", "Some fields are missing or invalid.", fields)',
             '    return JSONResponse({"detail": [{"loc": k, "msg": v} for k, v in fields.items()]}, status_code=422)',
             API, "Wrong fields are named in the error"),
]
