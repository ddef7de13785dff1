using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Aws.Fms
{
    // Members a newer Firewall Manager API returns that this version's model does not know, kept as read so that
    // the configuration files written from these objects keep them (Export-FmsConfiguration). The generated shapes
    // (Generated/Fms.g.cs) are partial; these additions stay out of the generator's output. They are never set on a
    // request: the engine builds requests from its own types, which do not carry them to the wire.

    public sealed partial class Policy
    {
        /// <summary>Members of the answer's policy this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class App
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class AppsListData
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class ProtocolsListData
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class ResourceSet
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class Resource
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class GetNotificationChannelResponse
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class AdminAccountSummary
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class AdminScope
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class AccountScope
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class OrganizationalUnitScope
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class RegionScope
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class PolicyTypeScope
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }
}
