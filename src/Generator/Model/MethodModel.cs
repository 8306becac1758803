using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;

namespace DiffGen.Generator.Model
{
    /// <summary>A type that encloses the method, outermost first, as it must be re-declared in the generated file.</summary>
    /// <param name="Keyword">class, struct, record, record struct or interface.</param>
    /// <param name="Name">The name with its type parameter list, e.g. <c>Model&lt;T&gt;</c>.</param>
    internal sealed record ContainingType(string Keyword, string Name, bool IsStatic);

    /// <summary>A parameter of the differentiable method and, when it is active, its adjoint.</summary>
    /// <param name="TypeDisplay">The parameter's type as written in generated code (fully qualified).</param>
    /// <param name="AdjointName">
    /// The name of its adjoint parameter (<c>dW</c>), or null when it is inactive. For the [Output] span, the name of
    /// its seed parameter (<c>dY</c>).
    /// </param>
    /// <param name="Output">Whether this is the [Output] span of a vector-valued method (written, not read as an input).</param>
    internal sealed record ParameterModel(
        string Name,
        string TypeDisplay,
        ScalarType ElementType,
        Shape Shape,
        Storage Storage,
        bool Active,
        string? AdjointName,
        bool Output = false);

    /// <summary>
    /// Everything the emitter needs about one [Differentiable] method, as values only (no symbols, syntax or
    /// locations), so the pipeline caches it across edits that do not change it.
    /// </summary>
    internal sealed record MethodModel(
        string HintName,
        string? Namespace,
        EquatableArray<ContainingType> ContainingTypes,
        string Name,
        string Accessibility,
        string FileName,
        int Line,
        ScalarType ReturnType,
        EquatableArray<ParameterModel> Parameters,
        int Modes,
        IrProgram? Program,
        EquatableArray<DiagnosticInfo> Diagnostics,
        string Key = "",
        bool QualifyFrameworkNames = false)
    {
        public bool CanEmit => Program is not null && !HasErrors;

        /// <summary>The [Output] span of a vector-valued method (which returns void), or null for a scalar method.</summary>
        public ParameterModel? Output
        {
            get
            {
                foreach (var p in Parameters)
                {
                    if (p.Output)
                    {
                        return p;
                    }
                }

                return null;
            }
        }

        /// <summary>The enclosing type as a fully qualified expression, for calls that a parameter name could shadow.</summary>
        public string QualifiedType
        {
            get
            {
                var parts = new System.Collections.Generic.List<string>();
                foreach (var t in ContainingTypes)
                {
                    parts.Add(t.Name);
                }

                return "global::" + (Namespace is null ? string.Empty : Namespace + ".") + string.Join(".", parts);
            }
        }

        /// <summary>A generated method's name as generated code calls it: qualified only if a parameter of that name would hide it.</summary>
        public string Callable(string method)
        {
            foreach (var p in Parameters)
            {
                if (p.Name == method)
                {
                    return QualifiedType + "." + method;
                }
            }

            return method;
        }

        public bool HasErrors
        {
            get
            {
                foreach (var d in Diagnostics)
                {
                    if (DiagnosticDescriptors.ById(d.Id).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
                    {
                        return true;
                    }
                }

                return false;
            }
        }
    }
}
