// The namespaces nearly every cmdlet file uses, imported once for the project.
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using System.Management.Automation;
global using FmsTools.Engine.Administration;
global using FmsTools.Engine.Diagnostics;
global using FmsTools.Engine.Policies;
global using FmsTools.Infrastructure;
