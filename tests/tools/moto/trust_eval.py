"""Evaluates an IAM role trust policy for one principal, the way STS would before AssumeRole.

moto's IAM never evaluates trust policies; the EKS Auth stand-in (eks_auth.py) needs to know whether EKS
Pod Identity (or the Pod Identity role, for a target role) may assume a role with a given request context.
This covers the policy grammar that trust policies for Pod Identity use; what it leaves out is listed in
docs/sandbox-fidelity.md.

`allowed(document, principal, action, context)` returns None when allowed, else a sentence saying why not.
"""

import fnmatch
import json

# Condition operators understood here (with an optional `IfExists` suffix); any other makes its statement
# not apply, and the refusal names it.
STRING_OPERATORS = {
    "StringEquals": lambda have, want: have == want,
    "StringNotEquals": lambda have, want: have != want,
    "StringEqualsIgnoreCase": lambda have, want: have.lower() == want.lower(),
    "StringLike": lambda have, want: fnmatch.fnmatchcase(have, want),
    "StringNotLike": lambda have, want: not fnmatch.fnmatchcase(have, want),
    "ArnEquals": lambda have, want: have == want,
    "ArnLike": lambda have, want: fnmatch.fnmatchcase(have, want),
}
NEGATED = {"StringNotEquals", "StringNotLike"}


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def principal_matches(statement, principal):
    """`principal` is ("Service", "pods.eks.amazonaws.com") or ("AWS", role ARN)."""
    kind, name = principal
    given = statement.get("Principal")
    if given == "*":
        return True
    if not isinstance(given, dict):
        return False
    for value in as_list(given.get(kind)):
        if value == "*" or value == name:
            return True
        if kind == "AWS":
            account = name.split(":")[4] if name.count(":") >= 5 else None
            if account and value in (account, f"arn:aws:iam::{account}:root"):
                return True
    return False


def action_matches(statement, action):
    actions = as_list(statement.get("Action"))
    return any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in actions)


def condition_problem(conditions, context):
    """None when every condition holds for `context`, else what does not."""
    for operator, clauses in (conditions or {}).items():
        base = operator[: -len("IfExists")] if operator.endswith("IfExists") else operator
        if_exists = base != operator
        if base == "Null":
            for key, want in clauses.items():
                missing = key not in context
                if str(want).lower() == "true" and not missing or str(want).lower() == "false" and missing:
                    return f"condition Null {key} = {want} is not met"
            continue
        test = STRING_OPERATORS.get(base)
        if test is None:
            return f"condition operator {operator} is not understood by the sandbox"
        for key, wants in clauses.items():
            have = context.get(key)
            if have is None:
                if if_exists or base in NEGATED:
                    continue
                return f"condition {operator} {key} is not met: the request has no {key}"
            wants = as_list(wants)
            if base in NEGATED:
                ok = all(test(have, w) for w in wants)
            else:
                ok = any(test(have, w) for w in wants)
            if not ok:
                return f"condition {operator} {key} {wants!r} is not met by {have!r}"
    return None


def allowed(document, principal, action, context):
    """None when the trust policy lets `principal` perform `action` with `context`, else why not."""
    try:
        policy = json.loads(document) if isinstance(document, str) else document
    except ValueError:
        return "the trust policy is not JSON"
    statements = as_list(policy.get("Statement"))
    reasons = []
    allow = False
    for st in statements:
        if not principal_matches(st, principal) or not action_matches(st, action):
            continue
        problem = condition_problem(st.get("Condition"), context)
        if st.get("Effect") == "Deny" and problem is None:
            return f"a Deny statement matches {action}"
        if st.get("Effect") == "Allow":
            if problem is None:
                allow = True
            else:
                reasons.append(problem)
    if allow:
        return None
    who = f"{principal[0]} {principal[1]}"
    if reasons:
        return f"the trust policy allows {action} for {who} only under conditions this request does not meet: " + "; ".join(reasons)
    return f"the trust policy has no statement allowing {action} for {who}"
