using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FmsTools.Aws.Fms
{
    // Members a newer Firewall Manager API returns that this version's model does not know, kept as read so that
    // the configuration files written from these objects keep them (Export-FmsConfiguration). The generated shapes
    // (Generated/Fms.g.cs) are partial; these additions stay out of the generator's output. Requests carry them only
    // where the engine puts them back: a policy's (top level and nested, FmsTools.Engine PolicyAdditionalMembers) and
    // the top level of an apps list, protocols list, resource set or notification channel, and an admin scope with its parts (FmsTools.Engine
    // Administration.AdditionalMembers), so that an update (a Put replaces the whole object) does not reset a newer API's field; the other shapes' requests
    // are built from known fields.

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

    public sealed partial class PutNotificationChannelRequest
    {
        /// <summary>A newer API's members of the channel to send beside the known ones (the deployed channel's on an update).</summary>
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

    public sealed partial class SecurityServicePolicyData
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class PolicyOption
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkFirewallPolicy
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class ThirdPartyFirewallPolicy
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkAclCommonPolicy
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkAclEntrySet
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkAclEntry
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkAclPortRange
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class NetworkAclIcmpTypeCode
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }

    public sealed partial class ResourceTag
    {
        /// <summary>Members of the answer this version does not know (a newer API's), by wire name.</summary>
        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalMembers { get; set; }
    }
}
