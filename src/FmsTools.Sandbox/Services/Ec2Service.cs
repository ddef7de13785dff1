using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security;
using System.Text;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// The EC2 subset Firewall Manager's remediation actions need, in EC2's own query protocol (API 2016-11-15, botocore's
    /// data/ec2/2016-11-15/service-2.json): form-encoded Action/Version requests, XML answers in the 2016-11-15 namespace,
    /// errors as &lt;Response&gt;&lt;Errors&gt;&lt;Error&gt;. It reads and changes the World the policy evaluator uses (route tables,
    /// routes, subnets, network ACLs), so a change made here changes compliance on the next evaluation.
    /// <para>Resources are per account and region: a caller sees and changes only its own account's resources in the region of
    /// its credential scope (another account's ids are NotFound, as at EC2). Callers outside the organization get
    /// UnauthorizedOperation. Every mutating call takes DryRun: after parameter validation and authorization it answers
    /// DryRunOperation (HTTP 412) without looking resources up or changing anything.</para>
    /// </summary>
    internal sealed partial class Ec2Service
    {
        internal const string Version = "2016-11-15";
        internal const string XmlNamespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

        private delegate void Handler(Call call, Ec2Xml xml);

        private readonly Dictionary<string, (Handler Handler, bool Mutating)> _actions;

        public Ec2Service()
        {
            _actions = new Dictionary<string, (Handler, bool)>(StringComparer.Ordinal)
            {
                ["DescribeVpcs"] = (DescribeVpcs, false),
                ["DescribeSubnets"] = (DescribeSubnets, false),
                ["DescribeRouteTables"] = (DescribeRouteTables, false),
                ["DescribeNetworkAcls"] = (DescribeNetworkAcls, false),
                ["CreateRoute"] = (CreateRoute, true),
                ["ReplaceRoute"] = (ReplaceRoute, true),
                ["DeleteRoute"] = (DeleteRoute, true),
                ["CreateRouteTable"] = (CreateRouteTable, true),
                ["DeleteRouteTable"] = (DeleteRouteTable, true),
                ["AssociateRouteTable"] = (AssociateRouteTable, true),
                ["DisassociateRouteTable"] = (DisassociateRouteTable, true),
                ["ReplaceRouteTableAssociation"] = (ReplaceRouteTableAssociation, true),
                ["CreateNetworkAcl"] = (CreateNetworkAcl, true),
                ["DeleteNetworkAcl"] = (DeleteNetworkAcl, true),
                ["CreateNetworkAclEntry"] = (CreateNetworkAclEntry, true),
                ["ReplaceNetworkAclEntry"] = (ReplaceNetworkAclEntry, true),
                ["DeleteNetworkAclEntry"] = (DeleteNetworkAclEntry, true),
                ["ReplaceNetworkAclAssociation"] = (ReplaceNetworkAclAssociation, true),
            };
        }

        /// <summary>The actions served, for documentation and tests.</summary>
        public IReadOnlyCollection<string> Actions => _actions.Keys;

        public bool IsMutating(string action) => _actions.TryGetValue(action, out var entry) && entry.Mutating;

        /// <summary>True when the form asks for a dry run (DryRun=true).</summary>
        public static bool IsDryRun(IReadOnlyDictionary<string, string> form)
            => form.TryGetValue("DryRun", out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>Answers one action; returns the XML body. Throws SandboxServiceException (rendered by the gateway as EC2's error form).</summary>
        public string Handle(RequestContext context, IReadOnlyDictionary<string, string> form, string requestId)
        {
            if (!_actions.TryGetValue(context.Operation, out var entry))
                throw new SandboxServiceException("InvalidAction", "The action " + context.Operation + " is not valid for this web service.");
            var call = new Call(context, form);
            if (call.Has("DryRun") && !IsDryRun(form) && !string.Equals(form["DryRun"], "false", StringComparison.OrdinalIgnoreCase))
                throw InvalidValue(form["DryRun"], "DryRun");
            var xml = new Ec2Xml(context.Operation, requestId);
            entry.Handler(call, xml);
            return xml.Finish();
        }

        /// <summary>EC2's error document.</summary>
        public static string ErrorXml(string code, string message, string requestId)
            => "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + Escape(code) + "</Code><Message>" + Escape(message)
               + "</Message></Error></Errors><RequestID>" + requestId + "</RequestID></Response>";

        internal static string Escape(string text) => SecurityElement.Escape(text) ?? "";

        // ---------------------------------------------------------------- errors

        internal static SandboxServiceException Missing(string parameter)
            => new SandboxServiceException("MissingParameter", "The request must contain the parameter " + parameter);

        internal static SandboxServiceException InvalidValue(string value, string parameter)
            => new SandboxServiceException("InvalidParameterValue", "Value (" + value + ") for parameter " + parameter + " is invalid.");

        internal static SandboxServiceException NotFound(string code, string kind, string id)
            => new SandboxServiceException(code, "The " + kind + " ID '" + id + "' does not exist");

        // ---------------------------------------------------------------- one call

        /// <summary>A request being answered: its form, caller, region, and the caller's resources.</summary>
        private sealed class Call
        {
            private readonly IReadOnlyDictionary<string, string> _form;

            public Call(RequestContext context, IReadOnlyDictionary<string, string> form)
            {
                Context = context;
                _form = form;
            }

            public RequestContext Context { get; }
            public World.World World => Context.World;
            public string Account => Context.Caller.AccountId;
            public string Region => Context.Region;

            public bool Has(string name) => _form.ContainsKey(name);

            public string? Get(string name) => _form.TryGetValue(name, out var value) ? value : null;

            /// <summary>A required string; MissingParameter names it as EC2 does (the wire's lower-camel name).</summary>
            public string Required(string name)
            {
                var value = Get(name);
                if (string.IsNullOrEmpty(value)) throw Missing(char.ToLowerInvariant(name[0]) + name.Substring(1));
                return value!;
            }

            public bool RequiredBool(string name)
            {
                var text = Required(name);
                if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
                if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
                throw InvalidValue(text, char.ToLowerInvariant(name[0]) + name.Substring(1));
            }

            public int? Int(string name)
            {
                var text = Get(name);
                if (text == null) return null;
                if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                    throw InvalidValue(text, char.ToLowerInvariant(name[0]) + name.Substring(1));
                return value;
            }

            /// <summary>A list member: Name.1, Name.2, ... in index order.</summary>
            public List<string> List(string name)
            {
                var items = new SortedDictionary<int, string>();
                var prefix = name + ".";
                foreach (var pair in _form)
                    if (pair.Key.StartsWith(prefix, StringComparison.Ordinal)
                        && int.TryParse(pair.Key.Substring(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                        items[index] = pair.Value;
                return items.Values.ToList();
            }

            /// <summary>Filter.N.Name with Filter.N.Value.M.</summary>
            public List<(string Name, List<string> Values)> Filters()
            {
                var filters = new List<(string, List<string>)>();
                for (var n = 1; Has("Filter." + n + ".Name"); n++)
                    filters.Add((Get("Filter." + n + ".Name")!, List("Filter." + n + ".Value")));
                return filters;
            }

            /// <summary>TagSpecification.N for one resource type, as world tags (null when none).</summary>
            public WorldTag[]? Tags(string resourceType)
            {
                var tags = new List<WorldTag>();
                for (var n = 1; Has("TagSpecification." + n + ".ResourceType"); n++)
                {
                    var type = Get("TagSpecification." + n + ".ResourceType");
                    if (type != resourceType) throw InvalidValue(type ?? "", "ResourceType");
                    for (var m = 1; Has("TagSpecification." + n + ".Tag." + m + ".Key"); m++)
                        tags.Add(new WorldTag(Get("TagSpecification." + n + ".Tag." + m + ".Key")!, Get("TagSpecification." + n + ".Tag." + m + ".Value") ?? ""));
                }
                return tags.Count == 0 ? null : tags.ToArray();
            }

            /// <summary>
            /// The end of validation for a mutating call: the caller must belong to the organization (UnauthorizedOperation),
            /// and DryRun stops here with DryRunOperation.
            /// </summary>
            public void Authorize()
            {
                if (World.FindAccount(Account) is null)
                    throw new SandboxServiceException("UnauthorizedOperation", "You are not authorized to perform this operation.", 403);
                if (Get("DryRun") is string dryRun && string.Equals(dryRun, "true", StringComparison.OrdinalIgnoreCase))
                    throw new SandboxServiceException("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
            }

            public IEnumerable<T> Mine<T>() where T : WorldResource => World.GetResources<T>(Account, Region);

            public T Find<T>(string id, string code, string kind) where T : WorldResource
            {
                var found = World.FindById(id) as T;
                if (found == null || found.AccountId != Account || found.Region != Region) throw NotFound(code, kind, id);
                return found;
            }

            public RouteTable Table(string id) => Find<RouteTable>(Malformed(id, "rtb", "InvalidRouteTableId.Malformed"), "InvalidRouteTableID.NotFound", "routeTable");
            public NetworkAcl Acl(string id) => Find<NetworkAcl>(Malformed(id, "acl", "InvalidNetworkAclId.Malformed"), "InvalidNetworkAclID.NotFound", "networkAcl");
            public Subnet Subnet(string id) => Find<Subnet>(Malformed(id, "subnet", "InvalidSubnetID.Malformed"), "InvalidSubnetID.NotFound", "subnet");
            public Vpc Vpc(string id) => Find<Vpc>(Malformed(id, "vpc", "InvalidVpcID.Malformed"), "InvalidVpcID.NotFound", "vpc");

            /// <summary>The new id for a created resource, unique in the World.</summary>
            public string NewId(string prefix)
            {
                while (true)
                {
                    var id = World.NewIds().Ec2Id(prefix);
                    if (World.FindById(id) == null && !AssociationIdInUse(id)) return id;
                }
            }

            private bool AssociationIdInUse(string id)
                => id.StartsWith("rtbassoc-", StringComparison.Ordinal) || id.StartsWith("aclassoc-", StringComparison.Ordinal)
                    ? Mine<Subnet>().Any(s => s.RouteTableAssociationId == id || s.NetworkAclAssociationId == id)
                    : false;
        }

        /// <summary>Checks the id's prefix (EC2 answers *.Malformed for an id of the wrong kind).</summary>
        private static string Malformed(string id, string prefix, string code)
        {
            if (!id.StartsWith(prefix + "-", StringComparison.Ordinal) || id.Length <= prefix.Length + 1)
                throw new SandboxServiceException(code, "Invalid id: \"" + id + "\" (expecting \"" + prefix + "-...\")");
            return id;
        }

        // ---------------------------------------------------------------- association ids

        /// <summary>The id of a route table's main association (stable: derived from the table id, as the World does not store it).</summary>
        internal static string MainAssociationId(RouteTable table) => DerivedId("rtbassoc", table.Id + "|main");

        /// <summary>The id of a route table's edge association with a gateway.</summary>
        internal static string GatewayAssociationId(RouteTable table, string gatewayId) => DerivedId("rtbassoc", table.Id + "|" + gatewayId);

        private static string DerivedId(string prefix, string seed)
        {
            ulong hash = 14695981039346656037UL;
            foreach (var c in seed)
            {
                hash ^= c;
                hash = unchecked(hash * 1099511628211UL);
            }
            return new WorldIds(unchecked((long)hash)).Ec2Id(prefix);
        }

        // ---------------------------------------------------------------- pagination

        /// <summary>One page of <paramref name="items"/> by MaxResults/NextToken (the token is the offset, opaque to callers).</summary>
        private static (List<T> Page, string? NextToken) Page<T>(Call call, List<T> items, int maxLimit)
        {
            var max = call.Int("MaxResults");
            if (max != null && (max < 5 || max > maxLimit))
                throw new SandboxServiceException("InvalidParameterValue", "Value ( " + max + " ) for parameter maxResults is invalid. Expecting a value between 5 and " + maxLimit + ".");
            var offset = 0;
            if (call.Get("NextToken") is string token)
            {
                string decoded;
                try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(token)); }
                catch (FormatException) { decoded = ""; }
                if (!decoded.StartsWith("sbx:", StringComparison.Ordinal)
                    || !int.TryParse(decoded.Substring(4), NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > items.Count)
                    throw new SandboxServiceException("InvalidPaginationToken", "Invalid pagination token: " + token);
            }
            var size = max ?? int.MaxValue;
            var page = items.Skip(offset).Take(size).ToList();
            var next = offset + page.Count < items.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes("sbx:" + (offset + page.Count))) : null;
            return (page, next);
        }

        // ---------------------------------------------------------------- filters

        /// <summary>Applies Describe* filters: an item matches when, for every filter, one of its values matches one of the
        /// filter's values (* and ? wildcards). Unknown filter names are InvalidParameterValue, as at EC2.</summary>
        private static List<T> Filter<T>(Call call, IEnumerable<T> items, Func<T, string, IEnumerable<string>?> valuesOf) where T : WorldResource
        {
            var filters = call.Filters();
            var result = new List<T>();
            foreach (var item in items)
            {
                var keep = true;
                foreach (var (name, values) in filters)
                {
                    var actual = name.StartsWith("tag:", StringComparison.Ordinal)
                        ? (item.Tags ?? new WorldTag[0]).Where(t => t.Key == name.Substring(4)).Select(t => t.Value)
                        : name == "tag-key" ? (item.Tags ?? new WorldTag[0]).Select(t => t.Key)
                        : name == "owner-id" ? new[] { item.AccountId }
                        : valuesOf(item, name) ?? throw new SandboxServiceException("InvalidParameterValue", "The filter '" + name + "' is invalid");
                    if (!actual.Any(a => values.Any(v => Wildcard(v, a)))) { keep = false; break; }
                }
                if (keep) result.Add(item);
            }
            return result;
        }

        private static bool Wildcard(string pattern, string value)
        {
            if (pattern.IndexOf('*') < 0 && pattern.IndexOf('?') < 0) return string.Equals(pattern, value, StringComparison.Ordinal);
            var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return System.Text.RegularExpressions.Regex.IsMatch(value, regex, System.Text.RegularExpressions.RegexOptions.Singleline);
        }

        private static string Bool(bool value) => value ? "true" : "false";

        /// <summary>A valid IPv4 CIDR block (a.b.c.d/n).</summary>
        internal static bool IsIpv4Cidr(string text)
        {
            var slash = text.IndexOf('/');
            if (slash < 0) return false;
            return IPAddress.TryParse(text.Substring(0, slash), out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && text.Substring(0, slash).Count(c => c == '.') == 3
                && int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits >= 0 && bits <= 32;
        }
    }

    /// <summary>Writes an EC2 answer: &lt;ActionResponse xmlns=...&gt;&lt;requestId/&gt;...&lt;/ActionResponse&gt;.</summary>
    internal sealed class Ec2Xml
    {
        private readonly StringBuilder _text = new StringBuilder();
        private readonly string _action;

        public Ec2Xml(string action, string requestId)
        {
            _action = action;
            _text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").Append(action).Append("Response xmlns=\"").Append(Ec2Service.XmlNamespace)
                .Append("\">\n    <requestId>").Append(requestId).Append("</requestId>\n");
        }

        public Ec2Xml Open(string name)
        {
            _text.Append('<').Append(name).Append('>');
            return this;
        }

        public Ec2Xml Close(string name)
        {
            _text.Append("</").Append(name).Append(">\n");
            return this;
        }

        /// <summary>A leaf element; nothing when the value is null (EC2 omits absent members).</summary>
        public Ec2Xml Leaf(string name, string? value)
        {
            if (value != null) _text.Append('<').Append(name).Append('>').Append(Ec2Service.Escape(value)).Append("</").Append(name).Append('>');
            return this;
        }

        public Ec2Xml Leaf(string name, bool value) => Leaf(name, value ? "true" : "false");

        public Ec2Xml Leaf(string name, int? value) => Leaf(name, value?.ToString(CultureInfo.InvariantCulture));

        /// <summary>&lt;tagSet&gt; with items (EC2 writes an empty tagSet when there are none).</summary>
        public Ec2Xml Tags(WorldTag[]? tags)
        {
            Open("tagSet");
            foreach (var tag in tags ?? new WorldTag[0]) Open("item").Leaf("key", tag.Key).Leaf("value", tag.Value).Close("item");
            return Close("tagSet");
        }

        public Ec2Xml Return() => Leaf("return", true);

        public string Finish() => _text.Append("</").Append(_action).Append("Response>").ToString();
    }
}
