using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace FmsTools.Sandbox
{
    /// <summary>
    /// One member to add to the answers of an operation, as a newer Firewall Manager API would return it: Operation
    /// ("GetAppsList" or "fms:GetAppsList"), Path to the object(s) that get the member (dot-separated member names,
    /// "[*]" after a name for each element of that array, "[n]" for its element n (from 0), empty for the answer itself,
    /// e.g. "AppsList.AppsList[*]", "Policy.SecurityServicePolicyData.PolicyOption.NetworkAclCommonPolicy.NetworkAclEntrySet.FirstEntries[0]",
    /// or "Policy" for the top level of GetPolicy's policy),
    /// the member's Name and its JSON Value.
    /// </summary>
    public sealed class AnswerField
    {
        public string Operation { get; set; } = "";
        public string Path { get; set; } = "";
        public string Name { get; set; } = "";
        public JsonNode? Value { get; set; }

        /// <summary>
        /// A member that the newer API stores, of a policy (Operation "GetPolicy", Path "Policy" or below it), an apps list
        /// ("GetAppsList", "AppsList"), a protocols list ("GetProtocolsList", "ProtocolsList"), a resource set
        /// ("GetResourceSet", "ResourceSet") or an administrator's scope ("GetAdminScope", "AdminScope" or below it, stored
        /// per administrator account by PutAdminAccount) or the notification channel ("GetNotificationChannel", Path "": one
        /// per sandbox, stored by PutNotificationChannel): the Put of that kind (PutPolicy, PutAppsList, ...) keeps the value its request
        /// gives at Path, and a Put that omits it resets it (a Put replaces the whole object), so that the Get and the Put
        /// answer the object's stored value, or <see cref="Value"/> (the service's default; null: no member) when the last
        /// Put did not give it.
        /// </summary>
        public bool Stored { get; set; }

        public override string ToString() => Operation + ": " + (Path.Length == 0 ? "" : Path + ".") + Name;

        internal bool Matches(string service, string operation)
            => string.Equals(Operation, operation, StringComparison.Ordinal)
               || string.Equals(Operation, service + ":" + operation, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Members the sandbox adds to its answers, to play a newer API than the client's model (clients must keep, or at
    /// least not fail on, members they do not know). Only successful JSON answers are changed; none are added by default.
    /// </summary>
    public sealed class AnswerFields
    {
        private readonly object _gate = new object();
        private readonly List<AnswerField> _fields = new List<AnswerField>();
        // The stored members' values by object id and rule (Stored rules), as the last Put of the object gave them.
        private readonly Dictionary<(string Id, AnswerField Field), JsonNode?> _stored = new Dictionary<(string, AnswerField), JsonNode?>();

        // The kinds whose members can be stored: their Get operation (a Stored rule's Operation), the Put that stores them,
        // the member of the answer and of the Put's request that holds the object, and the object's id member (of the
        // object in the answer, or with RequestId of the request: an admin scope is named by the account both requests give,
        // and PutAdminAccount answers nothing).
        private static readonly (string Get, string Put, string Root, string Id, bool RequestId)[] StoredKinds =
        {
            ("GetPolicy", "PutPolicy", "Policy", "PolicyId", false),
            ("GetAppsList", "PutAppsList", "AppsList", "ListId", false),
            ("GetProtocolsList", "PutProtocolsList", "ProtocolsList", "ListId", false),
            ("GetResourceSet", "PutResourceSet", "ResourceSet", "Id", false),
            ("GetAdminScope", "PutAdminAccount", "AdminScope", "AdminAccount", true),
            // The notification channel: the answer and the request are the channel (Root ""); one per sandbox (no id).
            ("GetNotificationChannel", "PutNotificationChannel", "", "", false),
        };

        public void Add(AnswerField field)
        {
            if (field is null) throw new ArgumentNullException(nameof(field));
            if (string.IsNullOrEmpty(field.Operation) || string.IsNullOrEmpty(field.Name)) throw new ArgumentException("Operation and Name are required.", nameof(field));
            lock (_gate) _fields.Add(field);
        }

        public void Clear()
        {
            lock (_gate)
            {
                _fields.Clear();
                _stored.Clear();
            }
        }

        public IReadOnlyList<AnswerField> Fields
        {
            get
            {
                lock (_gate) return _fields.ToList();
            }
        }

        public override string ToString()
        {
            var fields = Fields;
            return fields.Count == 0 ? "no added answer fields" : string.Join("; ", fields);
        }

        /// <summary>
        /// The answer body with the members of the matching rules added (unchanged when none match). A Put
        /// <paramref name="request"/> (PutPolicy, PutAppsList, ...) first sets or resets the object's stored members (<see cref="AnswerField.Stored"/>).
        /// </summary>
        internal byte[] Apply(string service, string operation, byte[] request, byte[] body)
        {
            lock (_gate)
            {
                // No rules (the usual case): nothing to match, nothing to store, and no per-request lists.
                if (_fields.Count == 0) return body;
                var kind = service == "fms" ? StoredKinds.FirstOrDefault(k => k.Get == operation || k.Put == operation) : default;
                var matching = _fields.Where(f => !f.Stored && f.Matches(service, operation)).ToList();
                var stored = kind.Get != null ? _fields.Where(f => f.Stored && f.Matches(service, kind.Get)).ToList() : new List<AnswerField>();
                if (matching.Count + stored.Count == 0 || !(JsonNode.Parse(body) is JsonObject root)) return body;
                foreach (var field in matching)
                    foreach (var target in Select(root, field.Path))
                        target[field.Name] = field.Value?.DeepClone();
                var holder = stored.Count == 0 ? null : kind.RequestId ? (request.Length == 0 ? null : JsonNode.Parse(request) as JsonObject) : root[kind.Root] as JsonObject;
                var id = stored.Count == 0 ? null : kind.Root.Length == 0 ? kind.Get : holder?[kind.Id]?.GetValue<string>();
                if (id != null)
                {
                    if (operation == kind.Put) Store(id, stored, request);
                    foreach (var field in stored)
                    {
                        var value = _stored.TryGetValue((id, field), out var kept) ? kept : field.Value;
                        if (value == null) continue;
                        foreach (var target in Select(root, field.Path)) target[field.Name] = value.DeepClone();
                    }
                }
                return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
            }
        }

        private void Store(string id, IEnumerable<AnswerField> fields, byte[] request)
        {
            var root = request.Length == 0 ? null : JsonNode.Parse(request) as JsonObject;
            foreach (var field in fields)
            {
                var holder = root == null ? null : Select(root, field.Path).FirstOrDefault();
                if (holder != null && holder.TryGetPropertyValue(field.Name, out var value)) _stored[(id, field)] = value?.DeepClone();
                else _stored.Remove((id, field));
            }
        }

        private static IEnumerable<JsonObject> Select(JsonObject root, string path)
        {
            IEnumerable<JsonNode?> nodes = new JsonNode?[] { root };
            foreach (var segment in path.Split(new[] { '.' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var open = segment.EndsWith("]", StringComparison.Ordinal) ? segment.LastIndexOf('[') : -1;
                var name = open < 0 ? segment : segment.Substring(0, open);
                var element = open < 0 ? null : segment.Substring(open + 1, segment.Length - open - 2);
                nodes = nodes.OfType<JsonObject>().Select(o => o[name]).ToList();
                if (element == "*") nodes = nodes.OfType<JsonArray>().SelectMany(a => a).ToList();
                else if (element != null)
                {
                    var index = int.Parse(element, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
                    nodes = nodes.OfType<JsonArray>().Where(a => index < a.Count).Select(a => a[index]).ToList();
                }
            }
            return nodes.OfType<JsonObject>().ToList();
        }
    }
}
