"""Every error the API gives is JSON: {"errors": [{"status", "message", "parameter"}]}."""

from django.http import JsonResponse


def error_response(status, message, parameter=None, headers=None):
    error = {"status": status, "message": message}
    if parameter:
        error["parameter"] = parameter
    response = JsonResponse({"errors": [error]}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _names_in(error):
    """The names a ``fields=`` or ``include=`` pattern allows, for a readable message."""
    pattern = (error.get("ctx") or {}).get("pattern", "")
    if error.get("type") != "string_pattern_mismatch" or not pattern.startswith("^("):
        return []
    return pattern[2:].split(")", 1)[0].split("|")


def validation_errors(exc):
    """A ninja ValidationError as a 400 naming each parameter at fault."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        parameter = location[-1] if location else None
        message = error.get("msg", "Invalid value.")
        names = _names_in(error)
        if names:
            message = f"give one or more of {', '.join(names)}, separated by commas"
        errors.append(
            {
                "status": 400,
                "message": f"{parameter}: {message}" if parameter else message,
                **({"parameter": parameter} if parameter else {}),
            }
        )
    return JsonResponse({"errors": errors}, status=400)
