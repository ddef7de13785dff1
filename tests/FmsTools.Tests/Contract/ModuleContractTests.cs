using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using FmsTools.Infrastructure;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    public class ModuleContractTests
    {
        /// <summary>The module of this test build: the FmsTools.dll the tests run, and the manifest copied beside them.</summary>
        internal static ModuleFiles RealModule() => new ModuleFiles
        {
            Assembly = typeof(FmsCmdlet).Assembly,
            ManifestPath = Path.Combine(RepoPaths.TestOutput, "module", "FmsTools.psd1"),
            DocsDirectory = RepoPaths.InRepo("docs"),
        };

        /// <summary>The fixture module with one deliberate defect per rule, from its own build output.</summary>
        internal static ModuleFiles Fixture()
        {
            var output = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.ContractFixture", "bin", RepoPaths.Configuration, "netstandard2.0");
            return new ModuleFiles
            {
                Assembly = Assembly.LoadFrom(Path.Combine(output, "FmsTools.ContractFixture.dll")),
                ManifestPath = Path.Combine(output, "FmsTools.ContractFixture.psd1"),
                DocsDirectory = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.ContractFixture", "docs"),
            };
        }

        [Fact]
        public void The_module_satisfies_every_contract_rule()
        {
            var violations = ModuleContract.Check(RealModule());
            Assert.True(violations.Count == 0, "Contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_contract_sees_every_cmdlet_of_the_module_with_its_views()
        {
            // The real module passing must not mean the runspace saw nothing: it sees the module's cmdlets, and its views.
            using var module = ModuleRunspace.Open(typeof(FmsCmdlet).Assembly,
                new[] { Path.Combine(RepoPaths.TestOutput, "module", "FmsTools.Format.ps1xml") }, Array.Empty<string>());
            var exported = PowerShellData.Strings(PowerShellData.Import(RealModule().ManifestPath), "CmdletsToExport");
            Assert.Equal(exported.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), module.Cmdlets.Select(c => c.Name));
            Assert.True(module.FormatData().Sum(d => d.FormatViewDefinition.Count) > 50, "The module's format file holds more than fifty views.");
            Assert.Empty(module.LoadErrors);
        }

        public static IEnumerable<object[]> FixtureDefects => new[]
        {
            new object[] { "Verb.NotApproved", "Fetch-FmsThing" },
            new object[] { "Noun.MissingPrefix", "Get-Gadget" },
            new object[] { "Noun.Plural", "Get-FmsWidgets" },
            new object[] { "OutputType.Missing", "Get-FmsNoOutput" },
            new object[] { "OutputType.Unresolved", "Get-FmsGhostOutput" },
            new object[] { "ShouldProcess.Missing", "Remove-FmsWidget" },
            new object[] { "Manifest.ExportMismatch", "Get-FmsUnlisted" },
            new object[] { "Manifest.ExportMismatch", "Get-FmsPhantom" },
            new object[] { "Manifest.VersionMismatch", "ModuleVersion" },
            new object[] { "Manifest.Invalid", "Modules_InvalidNestedModuleinModuleManifest" },
            new object[] { "Format.Invalid", "FmsTools.ContractFixture.Invalid.Format.ps1xml" },
            new object[] { "Format.UnknownType", "GhostView" },
            new object[] { "Format.UnknownProperty", "WidgetList" },
            new object[] { "Format.NoTableView", "FmsTools.ContractFixture.FmsOrphan" },
            new object[] { "Types.UnknownType", "FmsTools.ContractFixture.Phantom" },
            new object[] { "Types.UnknownProperty", "FmsTools.ContractFixture.FmsOrphan" },
            new object[] { "Help.Missing", "Get-FmsUnlisted" },
            new object[] { "Help.WrongName", "Fetch-FmsThing" },
            new object[] { "Help.NoSynopsis", "Get-Gadget" },
            new object[] { "Help.NoDescription", "Get-FmsWidgets" },
            new object[] { "Help.NoOutputs", "Get-FmsNoOutput" },
            new object[] { "Help.TooFewExamples", "Set-FmsWidget" },
            new object[] { "Help.ParameterUndocumented", "Set-FmsWidget -Speed" },
            new object[] { "Help.UnknownParameter", "Set-FmsWidget -Colour" },
        };

        [Theory]
        [MemberData(nameof(FixtureDefects))]
        public void Each_deliberate_defect_in_the_fixture_is_reported(string rule, string subject)
        {
            var violations = FixtureViolations.Value;
            Assert.True(violations.Any(v => v.Rule == rule && v.Subject == subject),
                $"Expected [{rule}] {subject}; reported:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_fixture_reports_nothing_beyond_its_deliberate_defects()
        {
            // A checker that flags everything would pass the test above; the correct parts must stay clean.
            var expected = FixtureDefects.Select(d => ((string)d[0], (string)d[1])).ToHashSet();
            var unexpected = FixtureViolations.Value.Where(v => !expected.Contains((v.Rule, v.Subject))).ToList();
            Assert.True(unexpected.Count == 0, "Unexpected:\n" + string.Join("\n", unexpected));
        }

        /// <summary>
        /// The second manifest of the fixture (ManifestDefects/), checked against one cmdlet of version 1.0.0: a wildcard
        /// in CmdletsToExport, Core alone in CompatiblePSEditions, and a root module that does not load the assembly.
        /// </summary>
        public static readonly (string Rule, string Subject)[] ManifestDefects =
        {
            ("Manifest.Wildcard", "CmdletsToExport"),
            ("Manifest.Editions", "CompatiblePSEditions"),
            ("Manifest.RootModule", "RootModule"),
        };

        [Fact]
        public void The_manifest_defects_are_reported_and_nothing_else()
        {
            var manifest = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.ContractFixture", "ManifestDefects", "FmsTools.ContractFixture.psd1");
            var violations = ModuleContract.CheckManifest(manifest, new[] { "Get-FmsWidget" }, new Version(1, 0, 0, 0), "FmsTools.ContractFixture.dll");
            Assert.Equal(ManifestDefects.OrderBy(d => d.Rule, StringComparer.Ordinal),
                violations.Select(v => (v.Rule, v.Subject)).OrderBy(d => d.Rule, StringComparer.Ordinal));
        }

        [Fact]
        public void Every_rule_the_module_contract_reports_is_proven_by_a_fixture()
        {
            // The rules are read from the checker's source, so a rule added without a fixture defect is noticed.
            var rules = new[] { "ModuleContract.cs", "ModuleViews.cs" }
                .SelectMany(f => Regex.Matches(File.ReadAllText(RepoPaths.InRepo("tests", "FmsTools.Tests", "Contract", f)), "\"([A-Z][A-Za-z0-9]*\\.[A-Z][A-Za-z0-9]*)\""))
                .Select(m => m.Groups[1].Value).ToHashSet();
            Assert.True(rules.Count > 20, $"Only {rules.Count} rules were found in the module contract's source.");
            var proven = FixtureDefects.Select(d => (string)d[0]).Concat(ManifestDefects.Select(d => d.Rule)).ToHashSet();
            Assert.Empty(rules.Except(proven));
        }

        [Theory]
        [InlineData("FmsPolicy", false)]
        [InlineData("FmsComplianceStatus", false)]
        [InlineData("FmsAddress", false)]
        [InlineData("Fms", false)]
        [InlineData("FmsPolicies", true)]
        [InlineData("FmsViolations", true)]
        public void Plural_nouns_are_recognised(string noun, bool plural)
        {
            Assert.Equal(plural, ModuleContract.IsPlural(noun));
        }

        private static readonly Lazy<IReadOnlyList<ContractViolation>> FixtureViolations =
            new Lazy<IReadOnlyList<ContractViolation>>(() => ModuleContract.Check(Fixture()));
    }
}
