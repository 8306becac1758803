using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.Diagnostics
{
    /// <summary>
    /// The catalogue of every diagnostic DiffGen reports. Each id has a page in docs/diagnostics/ and a line in
    /// AnalyzerReleases.*.md. Messages say what was found and what to do about it.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Usage = "DiffGen.Usage";
        private const string Support = "DiffGen.Support";
        private const string Math = "DiffGen.Math";
        private const string HelpRoot = "https://github.com/diffgen/diffgen/blob/main/docs/diagnostics/";

        public static readonly DiagnosticDescriptor MethodNotStatic = Make(
            "DG0001", "Differentiable method must be static",
            "'{0}' is marked [Differentiable] but is not static; add the 'static' modifier (instance state cannot be differentiated)", Usage);

        public static readonly DiagnosticDescriptor TypeNotPartial = Make(
            "DG0002", "Containing type must be partial",
            "Type '{0}' must be declared 'partial' so DiffGen can add the gradient methods of '{1}' to it", Usage);

        public static readonly DiagnosticDescriptor UnsupportedReturnType = Make(
            "DG0003", "Unsupported return type",
            "'{0}' returns '{1}'; a [Differentiable] method must return double or float", Support);

        public static readonly DiagnosticDescriptor UnsupportedParameterType = Make(
            "DG0004", "Unsupported parameter type",
            "Parameter '{0}' has type '{1}', which DiffGen cannot differentiate; {2}", Support);

        public static readonly DiagnosticDescriptor RefParameter = Make(
            "DG0005", "ref, out and in parameters are not supported",
            "Parameter '{0}' is passed by '{1}'; pass it by value (return the value, or use a Span<T> for several outputs)", Support);

        public static readonly DiagnosticDescriptor UnsupportedStatement = Make(
            "DG0006", "Unsupported statement",
            "DiffGen cannot differentiate this statement ({0}); {1}", Support);

        public static readonly DiagnosticDescriptor UnsupportedExpression = Make(
            "DG0007", "Unsupported expression",
            "DiffGen cannot differentiate this expression ({0}); {1}", Support);

        public static readonly DiagnosticDescriptor NoDerivative = Make(
            "DG0008", "Call has no known derivative",
            "The call to '{0}' has no known derivative; mark it [Differentiable], register a pullback with [DerivativeOf], or pass its result through a [NoDiff] parameter", Support);

        public static readonly DiagnosticDescriptor SideEffect = Make(
            "DG0009", "Side effect in differentiable code",
            "This {0} writes to '{1}'; [Differentiable] methods may only write their own locals and local buffers ({2})", Support);

        public static readonly DiagnosticDescriptor Recursion = Make(
            "DG0010", "Recursive differentiable method",
            "'{0}' calls itself; recursion is not supported, rewrite it as a loop", Support);

        public static readonly DiagnosticDescriptor ZeroDerivative = Make(
            "DG0011", "No gradient flows through this call",
            "'{0}' is piecewise constant: its derivative is zero, so no gradient flows from '{1}' through it; if that is intended, suppress DG0011 with #pragma warning disable DG0011", Math,
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor InvalidDerivativeOf = Make(
            "DG0012", "Invalid [DerivativeOf] registration",
            "[DerivativeOf] on '{0}': {1}", Usage);

        public static readonly DiagnosticDescriptor GenericMethod = Make(
            "DG0013", "Generic differentiable methods are not supported",
            "'{0}' is generic; write it for double or float", Support);

        public static readonly DiagnosticDescriptor NameClash = Make(
            "DG0014", "Generated method name already exists",
            "DiffGen wants to add '{0}' to '{1}', but a member with that name already exists; rename one of them", Usage);

        public static readonly DiagnosticDescriptor MutableFieldRead = Make(
            "DG0015", "Read of a mutable field or property",
            "'{0}' is not a constant or static readonly field; pass its value as a [NoDiff] parameter so the gradient does not depend on hidden state", Support);

        public static readonly DiagnosticDescriptor ActiveJaggedArray = Make(
            "DG0016", "Jagged arrays can only be [NoDiff] data",
            "Parameter '{0}' is a jagged array; mark it [NoDiff] (data rows), or use a rectangular T[,] or a flat span for parameters that need a gradient", Support);

        public static readonly DiagnosticDescriptor ModeUnsupported = Make(
            "DG0017", "Construct not supported in forward or second-order mode",
            "'{0}' uses {1}, which DiffModes.Forward and DiffModes.Hessian do not support yet; keep DiffModes.Reverse for this method, or inline the call", Support);

        public static readonly DiagnosticDescriptor GradientStops = Make(
            "DG0018", "Gradient stops at a [NoDiff] parameter",
            "The argument for '{0}' of '{1}' depends on a differentiable input, but '{0}' is [NoDiff] there, so no gradient flows through it; remove [NoDiff] from '{0}' if it should, or suppress DG0018 if this is intended", Math,
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor BrokenCallee = Make(
            "DG0019", "Called differentiable method cannot be differentiated",
            "'{0}' is [Differentiable] but gets no pullback to call: fix the errors reported on it (or on the methods it calls), and keep DiffModes.Reverse in its Modes", Usage);

        public static readonly DiagnosticDescriptor InvalidOutput = Make(
            "DG0020", "Invalid [Output] parameter",
            "[Output] parameter '{0}' cannot be used: {1}", Usage);

        private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = Index(
            MethodNotStatic, TypeNotPartial, UnsupportedReturnType, UnsupportedParameterType, RefParameter,
            UnsupportedStatement, UnsupportedExpression, NoDerivative, SideEffect, Recursion, ZeroDerivative,
            InvalidDerivativeOf, GenericMethod, NameClash, MutableFieldRead, ActiveJaggedArray, ModeUnsupported, GradientStops, BrokenCallee, InvalidOutput);

        public static IReadOnlyCollection<DiagnosticDescriptor> All => s_byId.Values;

        public static DiagnosticDescriptor ById(string id) => s_byId[id];

        private static DiagnosticDescriptor Make(
            string id, string title, string message, string category, DiagnosticSeverity severity = DiagnosticSeverity.Error)
            => new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

        private static Dictionary<string, DiagnosticDescriptor> Index(params DiagnosticDescriptor[] descriptors)
        {
            var map = new Dictionary<string, DiagnosticDescriptor>();
            foreach (var d in descriptors)
            {
                map.Add(d.Id, d);
            }

            return map;
        }
    }
}
