using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.Contract
{
    public class ModuleContractTests
    {
        /// <summary>Pipelines users build every day; each must bind by value or by property name.</summary>
        public static readonly (string Producer, string Consumer)[] PipelinePairs = PipelineTable.Pairs;

        internal static ModuleFiles RealModule()
        {
            var files = new ModuleFiles
            {
                AssemblyPath = Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"),
                ManifestPath = Path.Combine(RepoPaths.TestOutput, "module", "FmsTools.psd1"),
                DocsDirectory = RepoPaths.InRepo("docs"),
            };
            files.PipelinePairs.AddRange(PipelinePairs);
            return files;
        }

        internal static ModuleFiles Fixture()
        {
            var files = new ModuleFiles
            {
                AssemblyPath = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.ContractFixture", "bin", RepoPaths.Configuration,
                    "netstandard2.0", "FmsTools.ContractFixture.dll"),
                ManifestPath = Path.Combine(RepoPaths.TestOutput, "fixture", "FmsTools.ContractFixture.psd1"),
                DocsDirectory = RepoPaths.InRepo("tests", "Fixtures", "FmsTools.ContractFixture", "docs"),
            };
            files.PipelinePairs.Add(("Get-FmsWidget", "Set-FmsWidget"));
            files.PipelinePairs.Add(("Get-FmsWidget", "Remove-FmsWidget"));
            files.PipelinePairs.Add(("Get-FmsWidget", "Stop-FmsOrphan"));
            return files;
        }

        [Fact]
        public void The_module_satisfies_every_contract_rule()
        {
            var violations = ModuleContract.Check(RealModule());
            Assert.True(violations.Count == 0, "Contract violations:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void The_module_exports_cmdlets()
        {
            using var inspector = new BuildTools.ModuleInspector(RealModule().AssemblyPath);
            Assert.NotEmpty(inspector.GetCmdlets());
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
            new object[] { "Format.UnknownType", "FmsTools.ContractFixture.Format.ps1xml: GhostView" },
            new object[] { "Format.UnknownProperty", "FmsTools.ContractFixture.Format.ps1xml: WidgetList" },
            new object[] { "Format.NoTableView", "FmsTools.ContractFixture.FmsOrphan" },
            new object[] { "Pipeline.NoBinding", "Get-FmsWidget | Stop-FmsOrphan" },
            new object[] { "Help.Missing", "Get-FmsUnlisted" },
            new object[] { "Help.TooFewExamples", "Set-FmsWidget" },
            new object[] { "Help.ParameterUndocumented", "Set-FmsWidget -Speed" },
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

        [Fact]
        public void Correct_pipeline_pairs_in_the_fixture_bind()
        {
            Assert.DoesNotContain(FixtureViolations.Value, v => v.Subject == "Get-FmsWidget | Set-FmsWidget" || v.Subject == "Get-FmsWidget | Remove-FmsWidget");
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
