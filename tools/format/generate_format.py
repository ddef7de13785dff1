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
# Table columns are chosen for the default 80-character console: every column but the last has a width, the last takes
# the rest (check_widths below refuses a spec that leaves it too little), so nothing is dropped at 80 and a wider
# console only widens the last column. What does not fit goes in the list view (Format-List).
# Scripts shared by several views: an ARN without its "arn:partition:service:region:account:" prefix (the account and
# Region are in their own columns or known), and an account's name where the directory knew it, else its id.
SHORT_ARN = "-replace '^arn:[^:]*:[^:]*:[^:]*:[^:]*:', ''"
ACCOUNT = "{ if ($_.AccountName) { $_.AccountName } else { $_.AccountId } }"

A = "FmsTools.Engine.Administration."
VIEWS = {
    A + "FmsAppsList": ([("Name", "Name", 24), ("ListId", "ListId", 36), ("Apps", "AppSummary", 0)],
                        ["Name", "ListId", "Arn", "Apps", "IsManaged", "UpdateToken", "CreatedTime", "LastUpdatedTime"]),
    A + "FmsProtocolsList": ([("Name", "Name", 24), ("ListId", "ListId", 36), ("Protocols", "ProtocolSummary", 0)],
                             ["Name", "ListId", "Arn", "Protocols", "IsManaged", "UpdateToken", "CreatedTime", "LastUpdatedTime"]),
    A + "FmsResourceSet": ([("Name", "Name", 24), ("Id", "Id", 22), ("ResourceTypes", "{ ($_.ResourceTypes | ForEach-Object { $_ -replace '^AWS::', '' }) -join ', ' }", 0)],
                           ["Name", "Id", "Arn", "Description", "ResourceTypes", "Status", "UpdateToken", "LastUpdatedTime"]),
    A + "FmsResourceSetResource": ([("ResourceSetId", "ResourceSetId", 22), ("AccountId", "AccountId", 12), ("Uri", "Uri", 0)], None),
    A + "FmsResourceSetChange": ([("Action", "Action", 12), ("Succeeded", "Succeeded", 9), ("Uri", "Uri", 34), ("FailureReason", "FailureReason", 0)],
                                 ["Action", "Succeeded", "ResourceSetId", "Uri", "FailureReason"]),
    A + "FmsNotificationChannel": ([("SnsTopicArn", "SnsTopicArn", 54), ("SnsRoleName", "{ $_.SnsRoleName " + SHORT_ARN + " }", 0)], None),
    A + "FmsAdminAccount": ([("AccountId", "AccountId", 12), ("Status", "Status", 20), ("Default", "IsDefaultAdmin", 7), ("Scope", "ScopeSummary", 0)],
                           ["AccountId", "Status", "IsDefaultAdmin", "ScopeSummary", "Scope"]),
    A + "FmsAdminScope": ([("Accounts", "{ if ($_.AllAccounts -and -not $_.ExcludeSpecifiedAccounts) { 'All' } else { ($(if ($_.ExcludeSpecifiedAccounts) { 'All except ' } else { '' }) + ($_.Accounts -join ', ')) } }", 18),
                           ("OUs", "{ if ($_.AllOrganizationalUnits -and -not $_.ExcludeSpecifiedOrganizationalUnits) { 'All' } else { ($(if ($_.ExcludeSpecifiedOrganizationalUnits) { 'All except ' } else { '' }) + ($_.OrganizationalUnits -join ', ')) } }", 18),
                           ("Regions", "{ if ($_.AllRegions) { 'All' } else { $_.Regions -join ', ' } }", 18),
                           ("PolicyTypes", "{ if ($_.AllPolicyTypes) { 'All' } else { $_.PolicyTypes -join ', ' } }", 0)],
                          ["AllAccounts", "ExcludeSpecifiedAccounts", "Accounts", "AllOrganizationalUnits", "ExcludeSpecifiedOrganizationalUnits", "OrganizationalUnits", "AllRegions", "Regions", "AllPolicyTypes", "PolicyTypes"]),
    A + "FmsTag": ([("Key", "Key", 24), ("Value", "Value", 26), ("ResourceArn", "ResourceArn", 0)], None),
}

C = "FmsTools.Engine.Connection."
VIEWS.update({
    C + "FmsContext": ([("Account", "Account", 12), ("Region", "Region", 14), ("Admin", "AdminAccount", 12), ("IsAdmin", "IsAdministrator", 7),
                        ("Sandbox", "IsSandbox", 7), ("Caller", "{ $_.CallerArn " + SHORT_ARN + " }", 0)],
                       ["Account", "CallerArn", "Region", "EndpointUrl", "IsSandbox", "AdminAccount", "AdminRoleStatus", "IsAdministrator",
                        "ProfileName", "CredentialSource", "MemberAccountRoleName"]),
    C + "ConnectionSettings": ([("Source", "Source", 22), ("ProfileName", "ProfileName", 16), ("Region", "Region", 14), ("EndpointUrl", "EndpointUrl", 0)], None),
    "FmsTools.Sandbox.SandboxHost": ([("Endpoint", "Endpoint", 22), ("Region", "Region", 10), ("AccessKeyId", "AccessKeyId", 21),
                                      ("Accounts", "{ $_.AccountIds.Count }", 8), ("StatePath", "StatePath", 0)],
                                     ["Endpoint", "Port", "Region", "AccessKeyId", "AdminAccountId", "ManagementAccountId", "AccountIds", "StatePath"]),
    "FmsTools.Sandbox.RequestLogEntry": ([("Time", "{ $_.Time.ToString('HH:mm:ss.fff') }", 12), ("Operation", "Operation", 28),
                                          ("Account", "CallerAccount", 12), ("Mutating", "Mutating", 8), ("Outcome", "Outcome", 0)],
                                         ["Time", "Service", "Operation", "CallerAccount", "Mutating", "HttpStatus", "Outcome"]),
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


CONSOLE_WIDTH = 80
MIN_LAST_COLUMN = 15


def check_widths(type_name, columns):
    """The table must fit the default console: fixed widths, one space between columns, and room left for the last."""
    fixed = columns[:-1]
    if any(width <= 0 for _, _, width in fixed) or columns[-1][2] != 0:
        raise SystemExit("%s: every column but the last needs a width, and the last none" % type_name)
    for label, _, width in fixed:
        if width < len(label):
            raise SystemExit("%s: column %s is narrower (%d) than its label" % (type_name, label, width))
    rest = CONSOLE_WIDTH - sum(width for _, _, width in fixed) - len(fixed)
    if rest < max(MIN_LAST_COLUMN, len(columns[-1][0])):
        raise SystemExit("%s: at %d columns the last column (%s) would get %d characters" % (type_name, CONSOLE_WIDTH, columns[-1][0], rest))


def main():
    for type_name, (table, _) in VIEWS.items():
        check_widths(type_name, table)
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
