#!/usr/bin/env bash
# Windows PowerShell 5.1 runs the module on .NET Framework 4.7.2+. The module projects target netstandard2.0,
# whose reference surface includes APIs that .NET Framework lacks; compiling the same sources for net472
# turns any such use into a compile error. Separate obj/bin folders, so the normal build is untouched.
# Usage: bash build/net472/check.sh [Debug|Release]
set -euo pipefail
cd "$(dirname "$0")/../.."
CONFIG=${1:-Release}
exec dotnet build src/FmsTools/FmsTools.csproj -c "$CONFIG" --nologo -v quiet \
  -p:FmsModuleTargetFramework=net472 \
  -p:AutomaticallyUseReferenceAssemblyPackages=false \
  -p:BaseIntermediateOutputPath=obj/net472check/ \
  -p:BaseOutputPath=bin/net472check/ \
  "-p:CustomAfterMicrosoftCommonTargets=$(pwd)/build/net472/Net472Check.targets"
