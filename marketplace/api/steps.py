"""The steps of an object's life over the API (an order shipped, a statement settled, an
after-sales case agreed, a pairing approved): each is POST <path>/<id>/<step>, for some roles,
done to an object the caller may see, and answered with the object as it now is."""
from functools import wraps

from flask import jsonify

from marketplace.api import bp
from marketplace.api.core import api_user, require_auth


def steps_of(module, path, load, show):
    """A decorator factory for the steps of one kind of object.

    :param module: the API module the steps belong to (`__name__`; the description names it
        for each operation, and a step may be a service registered as it is).
    :param path: the object's path, with its id: "/orders/<int:order_id>".
    :param load: `load(id, user)`, the object if the user may see it (else NotFound or
        PermissionDenied).
    :param show: the object's JSON answer.
    :returns: `step(name, *roles, status=200)`, a decorator over `do(obj, user)` that registers
        it as POST {path}/{name} for `roles`; `do` changes the object (reading the body
        with `read_body()` when the step takes one). A service that takes (object, user) and
        nothing else is registered as it is: `order_step("confirm", ...)(services.confirm_order)`.
    """
    def step(name, *roles, status=200):
        def register(do):
            @bp.post(f"{path}/{name}")
            @require_auth(*roles)
            @wraps(do)
            def endpoint(**path_args):
                (ident,) = path_args.values()
                user = api_user()
                obj = load(ident, user)
                do(obj, user)
                return jsonify(show(obj)), status
            endpoint.__module__ = module
            return endpoint
        return register
    return step
