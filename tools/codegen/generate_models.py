#!/usr/bin/env python3
"""Generates the wire models and typed clients of FmsTools.Aws from botocore's service models.

botocore's JSON models are the contract for the wire protocol, so the C# request/response
classes are derived from them rather than written by hand. Run from the repository root:

    python3 tools/codegen/generate_models.py

Output: src/FmsTools.Aws/Generated/<Service>.g.cs and src/FmsTools.Sandbox/Models/*.json.gz
(the models the sandbox validates input against). Regenerate after upgrading botocore.
"""
import gzip
import html
import json
import os
import re
import sys

import botocore

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(os.path.dirname(botocore.__file__), "data")

# Operations that page by hand although botocore declares no paginator for them:
# (input token, output token, limit key, result key or None when a page is not a list).
MANUAL_PAGINATORS = {
    "fms": {
        "ListResourceSets": ("NextToken", "NextToken", "MaxResults", "ResourceSets"),
        "ListResourceSetResources": ("NextToken", "NextToken", "MaxResults", "Items"),
        "ListDiscoveredResources": ("NextToken", "NextToken", "MaxResults", "Items"),
        "GetProtectionStatus": ("NextToken", "NextToken", "MaxResults", None),
    },
    "wafv2": {
        "ListWebACLs": ("NextMarker", "NextMarker", "Limit", "WebACLs"),
        "ListRuleGroups": ("NextMarker", "NextMarker", "Limit", "RuleGroups"),
        "ListIPSets": ("NextMarker", "NextMarker", "Limit", "IPSets"),
        "ListAvailableManagedRuleGroups": ("NextMarker", "NextMarker", "Limit", "ManagedRuleGroups"),
        "ListAvailableManagedRuleGroupVersions": ("NextMarker", "NextMarker", "Limit", "Versions"),
    },
}

# (service folder, C# name, operations or None for all)
SERVICES = [
    ("fms", "Fms", None),
    ("organizations", "Organizations", [
        "DescribeOrganization", "ListRoots", "ListOrganizationalUnitsForParent", "ListChildren",
        "ListAccounts", "ListAccountsForParent", "ListParents", "DescribeAccount",
        "DescribeOrganizationalUnit", "ListDelegatedAdministrators"]),
    ("wafv2", "Wafv2", [
        "ListWebACLs", "GetWebACL", "ListRuleGroups", "GetRuleGroup", "ListAvailableManagedRuleGroups",
        "DescribeManagedRuleGroup", "ListAvailableManagedRuleGroupVersions", "GetWebACLForResource",
        "ListResourcesForWebACL", "CheckCapacity", "ListIPSets"]),
]

CS_KEYWORDS = {"abstract", "base", "bool", "byte", "case", "catch", "char", "checked", "class", "const",
               "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event",
               "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if",
               "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new",
               "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
               "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static",
               "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
               "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while"}

# Operations that change state; everything else is a read. Used by the request log, -WhatIf
# checks and retry policy (reads are always safe to retry).
MUTATING_PREFIXES = ("Put", "Delete", "Associate", "Disassociate", "Batch", "Tag", "Untag", "Create",
                     "Update", "Enable", "Disable")


def load(service):
    folder = os.path.join(DATA, service)
    version = sorted(os.listdir(folder))[-1]
    base = os.path.join(folder, version)

    def read(name):
        path = os.path.join(base, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                return f.read()
        if os.path.exists(path + ".gz"):
            with gzip.open(path + ".gz", "rb") as f:
                return f.read()
        return None

    model = json.loads(read("service-2.json"))
    pag = read("paginators-1.json")
    paginators = json.loads(pag)["pagination"] if pag else {}
    rules = read("endpoint-rule-set-1.json")
    return model, paginators, json.loads(rules) if rules else None


def global_endpoints(service, rules):
    """The fixed per-partition endpoints of a rule set (Organizations is global: one endpoint per partition).

    Everything else in the three rule sets follows the standard regional template
    https://{prefix}[-fips].{Region}.{dnsSuffix|dualStackDnsSuffix}, which the runtime applies with the
    SDK's partition data; this checks that assumption so a changed rule set fails generation loudly.
    """
    result = []
    if rules is None:
        return result
    region_tree = [r for r in rules["rules"] if r["type"] == "tree"
                   and r["conditions"][0]["fn"] == "isSet" and r["conditions"][0]["argv"][0]["ref"] == "Region"]
    if len(region_tree) != 1:
        raise SystemExit("%s: unexpected endpoint rule set layout" % service)
    partition_tree = region_tree[0]["rules"][0]
    if partition_tree["conditions"][0]["fn"] != "aws.partition":
        raise SystemExit("%s: unexpected endpoint rule set layout" % service)
    templates = set()

    def collect(rule):
        if rule["type"] == "endpoint":
            templates.add(rule["endpoint"]["url"])
        for child in rule.get("rules", []):
            collect(child)

    for rule in partition_tree["rules"]:
        conds = rule.get("conditions", [])
        if rule["type"] == "endpoint" and conds and conds[0]["fn"] == "stringEquals":
            partition = conds[0]["argv"][1]
            flags = {c["argv"][0]["ref"]: c["argv"][1] for c in conds[1:]}
            scheme = rule["endpoint"].get("properties", {}).get("authSchemes", [{}])[0]
            result.append((partition, flags["UseFIPS"], flags["UseDualStack"], rule["endpoint"]["url"],
                           scheme.get("signingRegion")))
        else:
            collect(rule)
    prefix = None
    expected = set()
    for t in templates:
        m = re.match(r"https://([a-z0-9-]+?)(-fips)?\.\{Region\}\.\{PartitionResult#(dnsSuffix|dualStackDnsSuffix)\}$", t)
        if not m:
            raise SystemExit("%s: endpoint template %s is not the standard regional one" % (service, t))
        prefix = m.group(1)
    for fips in ("", "-fips"):
        for suffix in ("dnsSuffix", "dualStackDnsSuffix"):
            expected.add("https://%s%s.{Region}.{PartitionResult#%s}" % (prefix, fips, suffix))
    if templates != expected:
        raise SystemExit("%s: endpoint templates %s differ from the standard set" % (service, sorted(templates)))
    return result


def exception_class(cs_name, error):
    # WAFv2 prefixes every error with WAF; Wafv2WAFNonexistentItemException would stutter.
    short = re.sub(r"^WAF(?=[A-Z])", "", error)
    return "%s%s" % (cs_name, short)


def closure(model, operations):
    seen, stack = set(), []
    for name in operations:
        op = model["operations"][name]
        for key in ("input", "output"):
            if key in op:
                stack.append(op[key]["shape"])
        for err in op.get("errors", []):
            stack.append(err["shape"])
    while stack:
        s = stack.pop()
        if s in seen:
            continue
        seen.add(s)
        shape = model["shapes"][s]
        for key in ("member", "key", "value"):
            if key in shape:
                stack.append(shape[key]["shape"])
        for m in shape.get("members", {}).values():
            stack.append(m["shape"])
    return seen


def doc_summary(text):
    if not text:
        return None
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(re.sub(r"\s+", " ", text)).strip()
    if not text:
        return None
    m = re.match(r"(.+?\.)(\s|$)", text)
    first = m.group(1) if m else text
    if len(first) > 300:
        first = first[:297].rstrip() + "..."
    return first.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ident(name):
    name = re.sub(r"[^A-Za-z0-9_]", "_", name)
    if name[0].isdigit():
        name = "_" + name
    return "@" + name if name in CS_KEYWORDS else name


def cs_type(model, shape_name, nullable=True):
    shape = model["shapes"][shape_name]
    t = shape["type"]
    q = "?" if nullable else ""
    if t == "structure":
        return ident(shape_name) + q
    if t == "list":
        return "List<%s>%s" % (cs_type(model, shape["member"]["shape"], False), q)
    if t == "map":
        return "Dictionary<%s, %s>%s" % (cs_type(model, shape["key"]["shape"], False),
                                          cs_type(model, shape["value"]["shape"], False), q)
    return {"string": "string", "integer": "int", "long": "long", "boolean": "bool", "double": "double",
            "float": "float", "timestamp": "DateTime", "blob": "byte[]"}[t] + q


def constraint_attr(shape):
    parts = []
    if "min" in shape:
        parts.append("Min = %s" % repr(shape["min"]).replace("L", ""))
    if "max" in shape:
        parts.append("Max = %s" % repr(shape["max"]).replace("L", ""))
    if "pattern" in shape and shape["type"] == "string":
        parts.append("Pattern = @\"%s\"" % shape["pattern"].replace('"', '""'))
    return parts


def generate(service, cs_name, operations):
    model, paginators, rules = load(service)
    meta = model["metadata"]
    ops = operations or sorted(model["operations"])
    shapes = closure(model, ops)
    ns = "FmsTools.Aws.%s" % cs_name
    out = []
    w = out.append
    w("// <auto-generated>")
    w("// Generated by tools/codegen/generate_models.py from botocore's %s %s model. Do not edit." % (
        service, meta["apiVersion"]))
    w("// </auto-generated>")
    w("#nullable enable")
    w("#pragma warning disable CS1591")
    w("using System;")
    w("using System.Collections.Generic;")
    w("using System.Net;")
    w("using System.Text.Json.Serialization;")
    w("using System.Threading;")
    w("using System.Threading.Tasks;")
    w("using FmsTools.Aws.Runtime;")
    w("")
    w("namespace %s" % ns)
    w("{")
    # enums as string constants: unknown values from a newer service must not break parsing
    for name in sorted(shapes):
        shape = model["shapes"][name]
        if shape["type"] == "string" and "enum" in shape:
            w("    /// <summary>Values of the %s enumeration.</summary>" % name)
            w("    public static class %sValues" % ident(name))
            w("    {")
            used = set()
            for v in shape["enum"]:
                member = re.sub(r"[^A-Za-z0-9]", "_", v)
                member = "".join(p[:1].upper() + p[1:].lower() if p.isupper() or p.islower() else p[:1].upper() + p[1:] for p in member.split("_") if p) or "Empty"
                if member[0].isdigit():
                    member = "_" + member
                while member in used or member == "All" or member == ident(name) + "Values":
                    member += "_"
                used.add(member)
                w("        public const string %s = \"%s\";" % (member, v))
            w("        public static readonly IReadOnlyList<string> All = new[] { %s };" % ", ".join(
                '"%s"' % v for v in shape["enum"]))
            w("    }")
            w("")
    for name in sorted(shapes):
        shape = model["shapes"][name]
        if shape["type"] != "structure":
            continue
        cls = ident(name)
        summary = doc_summary(shape.get("documentation"))
        if summary:
            w("    /// <summary>%s</summary>" % summary)
        is_error = shape.get("exception", False)
        w("    [AwsShape(\"%s\"%s)]" % (name, ", IsError = true" if is_error else ""))
        w("    public sealed partial class %s" % cls)
        w("    {")
        required = set(shape.get("required", []))
        for mname, member in shape.get("members", {}).items():
            prop = ident(mname)
            if prop == cls:
                prop = prop + "Value"
            target = model["shapes"][member["shape"]]
            msum = doc_summary(member.get("documentation"))
            if msum:
                w("        /// <summary>%s</summary>" % msum)
            attrs = ["Shape = \"%s\"" % member["shape"]]
            if mname in required:
                attrs.append("Required = true")
            attrs += constraint_attr(target)
            if target["type"] == "string" and "enum" in target:
                attrs.append("Enum = typeof(%sValues)" % ident(member["shape"]))
            w("        [JsonPropertyName(\"%s\")]" % mname)
            w("        [AwsMember(%s)]" % ", ".join(attrs))
            if target["type"] == "timestamp":
                w("        [JsonConverter(typeof(EpochSecondsConverter))]")
            w("        public %s %s { get; set; }" % (cs_type(model, member["shape"]), prop))
            w("")
        if out[-1] == "":
            out.pop()
        w("    }")
        w("")
    # errors
    errors = sorted(s for s in shapes if model["shapes"][s].get("exception"))
    w("    /// <summary>Error codes %s declares in its model.</summary>" % meta["serviceId"])
    w("    public static class %sErrorCodes" % cs_name)
    w("    {")
    for e in errors:
        w("        public const string %s = \"%s\";" % (ident(e), e))
    w("        public static readonly IReadOnlyList<string> All = new[] { %s };" % ", ".join('"%s"' % e for e in errors))
    w("    }")
    w("")
    # operation metadata
    w("    /// <summary>The %s operations FmsTools uses, with their wire shapes.</summary>" % meta["serviceId"])
    w("    public static class %sOperations" % cs_name)
    w("    {")
    w("        public const string TargetPrefix = \"%s\";" % meta["targetPrefix"])
    w("        public const string SigningName = \"%s\";" % meta.get("signingName", meta["endpointPrefix"]))
    w("        public const string EndpointPrefix = \"%s\";" % meta["endpointPrefix"])
    w("        public const string ApiVersion = \"%s\";" % meta["apiVersion"])
    w("        public static readonly IReadOnlyList<AwsOperation> All = new AwsOperation[]")
    w("        {")
    for op in ops:
        o = model["operations"][op]
        inp = o.get("input", {}).get("shape")
        outp = o.get("output", {}).get("shape")
        pag = paginators.get(op)
        w("            new AwsOperation(\"%s\", %s, %s, %s, %s, new[] { %s }%s)," % (
            op,
            "typeof(%s)" % ident(inp) if inp else "null",
            "typeof(%s)" % ident(outp) if outp else "null",
            "true" if op.startswith(MUTATING_PREFIXES) else "false",
            "true" if pag else "false",
            ", ".join('"%s"' % e["shape"] for e in o.get("errors", [])),
            ", resultKey: \"%s\"" % pag["result_key"] if pag else ""))
    w("        };")
    w("    }")
    w("")
    # typed exceptions for the modeled errors, and the factory the invoker uses
    for e in errors:
        cls = exception_class(cs_name, e)
        summary = doc_summary(model["shapes"][e].get("documentation"))
        w("    /// <summary>%s answered %s.%s</summary>" % (meta["serviceId"], e, (" " + summary) if summary else ""))
        w("    public sealed class %s : AwsServiceException" % cls)
        w("    {")
        w("        public %s(string message, HttpStatusCode statusCode, string? requestId, string? operation)" % cls)
        w("            : base(%sErrorCodes.%s, message, statusCode, requestId, operation) { }" % (cs_name, ident(e)))
        w("    }")
        w("")
    w("    /// <summary>Turns %s error codes into typed exceptions; codes the model does not declare become AwsServiceException.</summary>" % meta["serviceId"])
    w("    public static class %sErrors" % cs_name)
    w("    {")
    w("        public static AwsServiceException Create(string errorCode, string message, HttpStatusCode statusCode, string? requestId, string? operation)")
    w("        {")
    w("            switch (errorCode)")
    w("            {")
    for e in errors:
        w("                case %sErrorCodes.%s: return new %s(message, statusCode, requestId, operation);" % (
            cs_name, ident(e), exception_class(cs_name, e)))
    w("                default: return new AwsServiceException(errorCode, message, statusCode, requestId, operation);")
    w("            }")
    w("        }")
    w("    }")
    w("")
    # the wire description the invoker needs
    w("    /// <summary>How to reach %s: JSON 1.1 routing, signing name and endpoints.</summary>" % meta["serviceFullName"])
    w("    public static class %sService" % cs_name)
    w("    {")
    w("        public static readonly AwsServiceDescriptor Descriptor = new AwsServiceDescriptor(")
    w("            serviceId: \"%s\", targetPrefix: %sOperations.TargetPrefix, signingName: %sOperations.SigningName," % (
        meta["serviceId"], cs_name, cs_name))
    w("            endpointPrefix: %sOperations.EndpointPrefix, apiVersion: %sOperations.ApiVersion," % (cs_name, cs_name))
    w("            globalEndpoints: new AwsGlobalEndpoint[]")
    w("            {")
    for partition, fips, dual, url, signing_region in global_endpoints(service, rules):
        w("                new AwsGlobalEndpoint(\"%s\", useFips: %s, useDualStack: %s, \"%s\", \"%s\")," % (
            partition, "true" if fips else "false", "true" if dual else "false", url, signing_region))
    w("            },")
    w("            errorFactory: %sErrors.Create);" % cs_name)
    w("    }")
    w("")
    # paginators: botocore's plus the ones the API pages by hand
    pagers = []
    for op in ops:
        if op in paginators:
            p = paginators[op]
            pagers.append((op, p["input_token"], p["output_token"], p.get("limit_key"), p.get("result_key")))
        elif op in MANUAL_PAGINATORS.get(service, {}):
            pagers.append((op,) + MANUAL_PAGINATORS[service][op])
    if pagers:
        w("    /// <summary>")
        w("    /// Lazy page and item streams: <c>XxxPagesAsync</c> yields each response page as the consumer reads,")
        w("    /// <c>XxxItemsAsync</c> yields the items of the page's list. The caller's request is not modified; the")
        w("    /// stream stops when the service returns no token or repeats one it already returned.")
        w("    /// </summary>")
        w("    public static class %sPaginators" % cs_name)
        w("    {")
        for op, in_tok, out_tok, limit, result in pagers:
            o = model["operations"][op]
            in_shape = model["shapes"][o["input"]["shape"]]
            out_shape = model["shapes"][o["output"]["shape"]]
            for member, shape in ((in_tok, in_shape), (limit, in_shape), (out_tok, out_shape)):
                if member and member not in shape["members"]:
                    raise SystemExit("%s.%s: paginator member %s missing" % (service, op, member))
            inp = ident(o["input"]["shape"])
            outp = ident(o["output"]["shape"])
            required_limit = limit in in_shape.get("required", [])
            default_limit = model["shapes"][in_shape["members"][limit]["shape"]].get("max") if required_limit else None
            w("        /// <summary>Every page of %s, fetched as the stream is read.%s</summary>" % (
                op, (" %s defaults to %s because the API requires it." % (limit, default_limit)) if required_limit else ""))
            w("        public static IAsyncEnumerable<%s> %sPagesAsync(this I%sClient client, %s request, CancellationToken cancellationToken = default)" % (
                outp, op, cs_name, inp))
            w("        {")
            w("            if (client == null) throw new ArgumentNullException(nameof(client));")
            w("            var first = AwsJson.Clone(request ?? throw new ArgumentNullException(nameof(request)));")
            if required_limit:
                w("            if (first.%s == null) first.%s = %d;" % (ident(limit), ident(limit), default_limit))
            w("            return AwsPagination.PagesAsync(first, client.%sAsync, r => r.%s, (r, token) => r.%s = token, cancellationToken);" % (
                op, ident(out_tok), ident(in_tok)))
            w("        }")
            w("")
            if result:
                if isinstance(result, list):
                    result = result[0]
                member_shape = model["shapes"][out_shape["members"][result]["shape"]]
                if member_shape["type"] != "list":
                    raise SystemExit("%s.%s: result key %s is not a list" % (service, op, result))
                item = cs_type(model, member_shape["member"]["shape"], False)
                w("        /// <summary>Every item of %s.%s across all pages, fetched as the stream is read.</summary>" % (op, result))
                w("        public static IAsyncEnumerable<%s> %sItemsAsync(this I%sClient client, %s request, CancellationToken cancellationToken = default)" % (
                    item, op, cs_name, inp))
                w("            => AwsPagination.ItemsAsync(%sPagesAsync(client, request, cancellationToken), page => page.%s, cancellationToken);" % (
                    op, ident(result)))
                w("")
        out.pop()
        w("    }")
        w("")
    # client interface and implementation
    iface = "I%sClient" % cs_name
    w("    /// <summary>Typed %s client. The seam the engine depends on: an adaptor over the official SDK could implement it.</summary>" % meta["serviceFullName"])
    w("    public partial interface %s" % iface)
    w("    {")
    for op in ops:
        o = model["operations"][op]
        inp = ident(o["input"]["shape"]) if "input" in o else None
        outp = ident(o["output"]["shape"]) if "output" in o else "AwsEmptyResponse"
        s = doc_summary(o.get("documentation"))
        if s:
            w("        /// <summary>%s</summary>" % s)
        w("        Task<%s> %sAsync(%sCancellationToken cancellationToken = default);" % (
            outp, op, "%s request, " % inp if inp else ""))
    w("    }")
    w("")
    w("    /// <summary>%s over the JSON 1.1 protocol invoker.</summary>" % iface)
    w("    public partial class %sClient : %s" % (cs_name, iface))
    w("    {")
    w("        private readonly IAwsJsonInvoker _invoker;")
    w("")
    w("        public %sClient(IAwsJsonInvoker invoker) { _invoker = invoker ?? throw new ArgumentNullException(nameof(invoker)); }" % cs_name)
    w("")
    w("        /// <summary>The invoker this client sends through.</summary>")
    w("        public IAwsJsonInvoker Invoker => _invoker;")
    w("")
    for op in ops:
        o = model["operations"][op]
        inp = ident(o["input"]["shape"]) if "input" in o else None
        outp = ident(o["output"]["shape"]) if "output" in o else "AwsEmptyResponse"
        w("        public Task<%s> %sAsync(%sCancellationToken cancellationToken = default)" % (
            outp, op, "%s request, " % inp if inp else ""))
        w("            => _invoker.InvokeAsync<%s, %s>(\"%s\", %s, cancellationToken);" % (
            inp or "AwsEmptyRequest", outp, op, "request" if inp else "new AwsEmptyRequest()"))
        w("")
    out.pop()
    w("    }")
    w("}")
    return "\n".join(out) + "\n", model, paginators, ops


def main():
    gen_dir = os.path.join(ROOT, "src", "FmsTools.Aws", "Generated")
    model_dir = os.path.join(ROOT, "src", "FmsTools.Sandbox", "Models")
    os.makedirs(gen_dir, exist_ok=True)
    os.makedirs(model_dir, exist_ok=True)
    for service, cs_name, ops in SERVICES:
        code, model, paginators, used = generate(service, cs_name, ops)
        with open(os.path.join(gen_dir, "%s.g.cs" % cs_name), "w", newline="\n") as f:
            f.write(code)
        # The sandbox validates requests against the same model; keep only the operations it serves.
        trimmed = dict(model)
        trimmed["operations"] = {k: v for k, v in model["operations"].items() if k in used}
        keep = closure(model, used)
        trimmed["shapes"] = {k: v for k, v in model["shapes"].items() if k in keep}
        for op in trimmed["operations"].values():
            op.pop("documentation", None)
        for sh in trimmed["shapes"].values():
            sh.pop("documentation", None)
            for m in sh.get("members", {}).values():
                m.pop("documentation", None)
        trimmed.pop("documentation", None)
        with gzip.GzipFile(os.path.join(model_dir, "%s.json.gz" % service), "wb", mtime=0) as f:
            f.write(json.dumps(trimmed, sort_keys=True, separators=(",", ":")).encode())
        print("%s: %d operations" % (cs_name, len(used)), file=sys.stderr)


if __name__ == "__main__":
    main()
