// The namespaces nearly every engine file uses, imported once for the project.
global using System;
global using System.Collections.Generic;
global using System.Globalization;
global using System.Linq;
global using System.Threading;
global using System.Threading.Tasks;
global using FmsTools.Engine.Diagnostics;
