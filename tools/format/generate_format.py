#!/usr/bin/env python3
"""Writes src/FmsTools/Format/FmsTools.Format.ps1xml from the view specs below.

Every output type gets a table view (columns chosen to read well at 120 characters) and, where a type
has more to show, a list view. The contract tests check that each named type and property exists.
Run from the repository root after adding a type: python3 tools/format/generate_format.py
"""
import os
from xml.sax.saxutils import escape

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# type -> (table columns [(label, property or {script}, width)], list properties or None)
A = "FmsTools.Engine.Administration."
VIEWS = {
    A + "FmsAppsList": ([("Name", "Name", 28), ("ListId", "ListId", 38), ("Apps", "AppCount", 5), ("AppSummary", "AppSummary", 0)],
                        ["Name", "ListId", "Arn", "Apps", "IsManaged", "UpdateToken", "CreatedTime", "LastUpdatedTime"]),
    A + "FmsProtocolsList": ([("Name", "Name", 28), ("ListId", "ListId", 38), ("Protocols", "ProtocolSummary", 0)],
                             ["Name", "ListId", "Arn", "Protocols", "IsManaged", "UpdateToken", "CreatedTime", "LastUpdatedTime"]),
    A + "FmsResourceSet": ([("Name", "Name", 28), ("Id", "Id", 24), ("Status", "Status", 8), ("ResourceTypes", "ResourceTypeSummary", 0)],
                           ["Name", "Id", "Arn", "Description", "ResourceTypes", "Status", "UpdateToken", "LastUpdatedTime"]),
    A + "FmsResourceSetResource": ([("ResourceSetId", "ResourceSetId", 24), ("AccountId", "AccountId", 13), ("Uri", "Uri", 0)], None),
    A + "FmsResourceSetChange": ([("Action", "Action", 13), ("Succeeded", "Succeeded", 9), ("ResourceSetId", "ResourceSetId", 24), ("Uri", "Uri", 45), ("FailureReason", "FailureReason", 0)], None),
    A + "FmsNotificationChannel": ([("SnsTopicArn", "SnsTopicArn", 60), ("SnsRoleName", "SnsRoleName", 0)], None),
    A + "FmsAdminAccount": ([("AccountId", "AccountId", 13), ("Status", "Status", 12), ("Default", "IsDefaultAdmin", 7), ("Scope", "ScopeSummary", 0)], None),
    A + "FmsAdminScope": ([("Accounts", "{ if ($_.AllAccounts -and -not $_.ExcludeSpecifiedAccounts) { 'All' } else { ($(if ($_.ExcludeSpecifiedAccounts) { 'All except ' } else { '' }) + ($_.Accounts -join ', ')) } }", 30),
                           ("OUs", "{ if ($_.AllOrganizationalUnits -and -not $_.ExcludeSpecifiedOrganizationalUnits) { 'All' } else { ($(if ($_.ExcludeSpecifiedOrganizationalUnits) { 'All except ' } else { '' }) + ($_.OrganizationalUnits -join ', ')) } }", 30),
                           ("Regions", "{ if ($_.AllRegions) { 'All' } else { $_.Regions -join ', ' } }", 20),
                           ("PolicyTypes", "{ if ($_.AllPolicyTypes) { 'All' } else { $_.PolicyTypes -join ', ' } }", 0)],
                          ["AllAccounts", "ExcludeSpecifiedAccounts", "Accounts", "AllOrganizationalUnits", "ExcludeSpecifiedOrganizationalUnits", "OrganizationalUnits", "AllRegions", "Regions", "AllPolicyTypes", "PolicyTypes"]),
    A + "FmsTag": ([("Key", "Key", 30), ("Value", "Value", 30), ("ResourceArn", "ResourceArn", 0)], None),
}

C = "FmsTools.Engine.Connection."
VIEWS.update({
    C + "FmsContext": ([("Account", "Account", 13), ("Region", "Region", 14), ("Admin", "AdminAccount", 13), ("IsAdmin", "IsAdministrator", 7),
                        ("Sandbox", "IsSandbox", 7), ("Caller", "CallerArn", 0)],
                       ["Account", "CallerArn", "Region", "EndpointUrl", "IsSandbox", "AdminAccount", "AdminRoleStatus", "IsAdministrator",
                        "ProfileName", "CredentialSource", "MemberAccountRoleName"]),
    C + "ConnectionSettings": ([("Source", "Source", 22), ("ProfileName", "ProfileName", 16), ("Region", "Region", 14), ("EndpointUrl", "EndpointUrl", 0)], None),
    "FmsTools.Sandbox.SandboxHost": ([("Endpoint", "Endpoint", 24), ("Region", "Region", 11), ("AccessKeyId", "AccessKeyId", 22),
                                      ("AdminAccountId", "AdminAccountId", 14), ("Accounts", "{ $_.AccountIds.Count }", 8), ("StatePath", "StatePath", 0)],
                                     ["Endpoint", "Port", "Region", "AccessKeyId", "AdminAccountId", "ManagementAccountId", "AccountIds", "StatePath"]),
    "FmsTools.Sandbox.RequestLogEntry": ([("Time", "{ $_.Time.ToString('HH:mm:ss.fff') }", 12), ("Service", "Service", 13), ("Operation", "Operation", 30),
                                                     ("Account", "CallerAccount", 13), ("Mutating", "Mutating", 8), ("Outcome", "Outcome", 0)], None),
})

EXTRA_FILE = os.path.join(os.path.dirname(__file__), "views_extra.py")
if os.path.exists(EXTRA_FILE):
    # Views of later areas live beside this file so each area's author edits its own spec.
    exec(open(EXTRA_FILE).read())


def column_item(prop):
    if prop.startswith("{"):
        return "<ScriptBlock>%s</ScriptBlock>" % escape(prop[1:-1].strip())
    return "<PropertyName>%s</PropertyName>" % escape(prop)


def table_view(type_name, columns):
    short = type_name.rsplit(".", 1)[-1]
    headers = "".join(
        "<TableColumnHeader><Label>%s</Label>%s</TableColumnHeader>" % (escape(label), "<Width>%d</Width>" % width if width else "")
        for label, _, width in columns)
    items = "".join("<TableColumnItem>%s</TableColumnItem>" % column_item(prop) for _, prop, _ in columns)
    return ("    <View>\n      <Name>%s.Table</Name>\n      <ViewSelectedBy><TypeName>%s</TypeName></ViewSelectedBy>\n"
            "      <TableControl>\n        <TableHeaders>%s</TableHeaders>\n"
            "        <TableRowEntries><TableRowEntry><Wrap /><TableColumnItems>%s</TableColumnItems></TableRowEntry></TableRowEntries>\n"
            "      </TableControl>\n    </View>\n") % (short, type_name, headers, items)


def list_view(type_name, props):
    short = type_name.rsplit(".", 1)[-1]
    items = "".join("<ListItem>%s</ListItem>" % column_item(p) for p in props)
    return ("    <View>\n      <Name>%s.List</Name>\n      <ViewSelectedBy><TypeName>%s</TypeName></ViewSelectedBy>\n"
            "      <ListControl><ListEntries><ListEntry><ListItems>%s</ListItems></ListEntry></ListEntries></ListControl>\n"
            "    </View>\n") % (short, type_name, items)


def main():
    out = ['<?xml version="1.0" encoding="utf-8"?>\n',
           "<!-- Generated by tools/format/generate_format.py: edit the specs there and rerun. -->\n",
           "<Configuration>\n  <ViewDefinitions>\n"]
    for type_name in sorted(VIEWS):
        table, lst = VIEWS[type_name]
        out.append(table_view(type_name, table))
        if lst:
            out.append(list_view(type_name, lst))
    out.append("  </ViewDefinitions>\n</Configuration>\n")
    path = os.path.join(ROOT, "src", "FmsTools", "Format", "FmsTools.Format.ps1xml")
    with open(path, "w", newline="\n") as f:
        f.write("".join(out))


if __name__ == "__main__":
    main()
