using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Finds the pullback of a called method: its generated <c>{Name}Backward</c> when it is [Differentiable], or a
    /// method registered with [DerivativeOf] in the callee's own type (this also works for referenced assemblies).
    /// Registrations placed in other types are matched later, by <see cref="Key"/>, against the registry pipeline.
    /// </summary>
    internal static class CallResolver
    {
        public static string Key(IMethodSymbol method)
        {
            var builder = new StringBuilder();
            builder.Append(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).Append('.').Append(method.Name).Append('(');
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                builder.Append(method.Parameters[i].Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            }

            return builder.Append(')').ToString();
        }

        public static string? FindBackward(IMethodSymbol method)
        {
            var type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (SignatureReader.HasAttribute(method, SignatureReader.DifferentiableAttribute))
            {
                // Whether it is generated (no errors, DiffModes.Reverse) is the call graph's question: DG0019 if not.
                return type + "." + method.Name + "Backward";
            }

            foreach (var member in method.ContainingType.GetMembers())
            {
                if (member is not IMethodSymbol candidate || HasDuplicate(candidate))
                {
                    continue;
                }

                foreach (var (target, _, _) in ResolveAll(candidate))
                {
                    if (target is not null && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method.OriginalDefinition))
                    {
                        return type + "." + SignatureReader.Escape(candidate.Name);
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// The Hessian-vector product of a callee: the generated FHessianVector of a [Differentiable] callee whose Modes
        /// include DiffModes.Hessian, or, for any other callee (a [DerivativeOf]-registered helper such as
        /// DiffMath.NormalCdf), a hand-written static <c>{Name}HessianVector</c> in the callee's own type with the
        /// generated shape: the callee's parameters, a direction per active parameter, then <c>out</c> the gradient and
        /// <c>out</c> H·v per active parameter.
        /// </summary>
        public static string? FindHessianVector(IMethodSymbol method) =>
            SignatureReader.HasAttribute(method, SignatureReader.DifferentiableAttribute)
                ? GeneratedCompanion(method, modes: 4, "HessianVector")
                : FindHandWrittenHessianVector(method);

        /// <summary>
        /// The FTangent of a callee: generated for a [Differentiable] callee whose Modes include DiffModes.Forward (or
        /// Jacobian, which implies it); for any other callee, a hand-written static <c>{Name}Tangent</c> in its own type
        /// with the generated shape: the callee's parameters, a direction per active parameter, <c>out</c> the tangent.
        /// </summary>
        public static string? FindTangent(IMethodSymbol method) =>
            SignatureReader.HasAttribute(method, SignatureReader.DifferentiableAttribute)
                ? GeneratedCompanion(method, modes: 2 | 8, "Tangent")
                : FindHandWrittenTangent(method);

        /// <summary>F{suffix} of a [Differentiable] method whose Modes include any of <paramref name="modes"/>, else null.</summary>
        private static string? GeneratedCompanion(IMethodSymbol method, int modes, string suffix)
        {
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != SignatureReader.DifferentiableAttribute)
                {
                    continue;
                }

                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "Modes" && named.Value.Value is int requested && (requested & modes) != 0)
                    {
                        return method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name + suffix;
                    }
                }
            }

            return null;
        }

        /// <summary>The types of the parameters a callee's derivative code takes a direction or adjoint for.</summary>
        private static List<ITypeSymbol> ActiveParameterTypes(IMethodSymbol method)
        {
            var active = new List<ITypeSymbol>();
            foreach (var parameter in method.Parameters)
            {
                if (SignatureReader.IsActive(parameter))
                {
                    active.Add(parameter.Type);
                }
            }

            return active;
        }

        /// <summary>A hand-written FTangent: the callee's parameters, a direction per active one, <c>out</c> the tangent; returns the value (it is used).</summary>
        private static string? FindHandWrittenTangent(IMethodSymbol method) => FindHandWrittenCompanion(method, "Tangent", hessian: false);

        /// <summary>A hand-written FHessianVector: the callee's parameters, a direction per active one, the gradient and H·v per active one.</summary>
        private static string? FindHandWrittenHessianVector(IMethodSymbol method) => FindHandWrittenCompanion(method, "HessianVector", hessian: true);

        /// <summary>
        /// A static, non-generic <c>{Name}{suffix}</c> in the callee's own type, at least as accessible, with the shape of
        /// the generated companion: the callee's parameters; a direction per active parameter (the scalar type, or
        /// <c>ReadOnlySpan&lt;T&gt;</c> for an array or span); then either <c>out</c> the tangent (returning the value),
        /// or the gradient and then H·v per active parameter (<c>out T</c>, or a <c>Span&lt;T&gt;</c> the companion fills).
        /// </summary>
        private static string? FindHandWrittenCompanion(IMethodSymbol method, string suffix, bool hessian)
        {
            var active = ActiveParameterTypes(method);
            if (active.Count == 0)
            {
                return null;
            }

            var expected = new List<(string Type, RefKind Kind)>();
            foreach (var parameter in method.Parameters)
            {
                expected.Add((parameter.Type.ToDisplayString(), RefKind.None));
            }

            var directions = new List<(string, RefKind)>();
            var outputs = new List<(string, RefKind)>();
            foreach (var type in active)
            {
                switch (TypeClassifier.Classify(type))
                {
                    case { Shape: Shape.Scalar }:
                        directions.Add((type.ToDisplayString(), RefKind.None));
                        outputs.Add((type.ToDisplayString(), RefKind.Out));
                        break;
                    case { Shape: Shape.Vector } vector:
                        string element = TypeClassifier.Keyword(vector.Element);
                        directions.Add(("System.ReadOnlySpan<" + element + ">", RefKind.None));
                        outputs.Add(("System.Span<" + element + ">", RefKind.None));
                        break;
                    default:
                        return null; // matrices: no hand-written companion shape
                }
            }

            expected.AddRange(directions);
            if (hessian)
            {
                expected.AddRange(outputs); // the gradient
                expected.AddRange(outputs); // H·v
            }
            else
            {
                expected.Add((method.ReturnType.ToDisplayString(), RefKind.Out));
            }

            foreach (var member in method.ContainingType.GetMembers(method.Name + suffix))
            {
                if (member is IMethodSymbol candidate && candidate.IsStatic && !candidate.IsGenericMethod && candidate.DeclaredAccessibility >= method.DeclaredAccessibility
                    && (hessian || SymbolEqualityComparer.Default.Equals(candidate.ReturnType, method.ReturnType)) && HasShape(candidate, expected))
                {
                    return method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + SignatureReader.Escape(candidate.Name);
                }
            }

            return null;
        }

        private static bool HasShape(IMethodSymbol candidate, List<(string Type, RefKind Kind)> expected)
        {
            if (candidate.Parameters.Length != expected.Count)
            {
                return false;
            }

            for (int i = 0; i < expected.Count; i++)
            {
                var p = candidate.Parameters[i];
                if (p.RefKind != expected[i].Kind || p.Type.ToDisplayString() != expected[i].Type)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Each [DerivativeOf] on a method (it may register one pullback for several targets): the target, or why it does not fit.</summary>
        public static IEnumerable<(IMethodSymbol? Target, string? Problem, AttributeData Attribute)> ResolveAll(IMethodSymbol derivative)
        {
            foreach (var data in derivative.GetAttributes())
            {
                if (data.AttributeClass?.ToDisplayString() != SignatureReader.DerivativeOfAttribute)
                {
                    continue;
                }

                INamedTypeSymbol? type = derivative.ContainingType;
                string? name = null;
                if (data.ConstructorArguments.Length == 1)
                {
                    name = data.ConstructorArguments[0].Value as string;
                }
                else if (data.ConstructorArguments.Length == 2)
                {
                    type = data.ConstructorArguments[0].Value as INamedTypeSymbol;
                    name = data.ConstructorArguments[1].Value as string;
                }

                if (type is null || name is null)
                {
                    yield return (null, "the attribute needs a method name (and optionally a type)", data);
                    continue;
                }

                IMethodSymbol? best = null;
                string? problem = null;
                foreach (var member in type.GetMembers(name))
                {
                    if (member is IMethodSymbol target && !SymbolEqualityComparer.Default.Equals(target, derivative))
                    {
                        if (MatchesShape(target, derivative, out var mismatch))
                        {
                            if (derivative.IsGenericMethod)
                            {
                                problem = "the pullback must not be generic (generated callers cannot infer its type arguments)";
                                break;
                            }

                            if (!derivative.IsStatic)
                            {
                                problem = "the pullback must be static";
                                break;
                            }

                            if (derivative.DeclaredAccessibility < target.DeclaredAccessibility
                                || derivative.ContainingType.DeclaredAccessibility < target.ContainingType.DeclaredAccessibility)
                            {
                                problem = "the pullback must be at least as accessible as '" + target.Name + "' (generated callers call it)";
                                break;
                            }

                            best = target;
                            break;
                        }

                        problem ??= mismatch;
                    }
                }

                yield return (best, best is null ? problem ?? "no method '" + name + "' was found in '" + type.ToDisplayString() + "'" : null, data);
            }
        }

        /// <summary>The Backward shape: the target's parameters, a seed of its return type, one adjoint per active parameter, same return type.</summary>
        private static bool MatchesShape(IMethodSymbol target, IMethodSymbol derivative, out string? problem)
        {
            problem = null;
            var returnType = TypeClassifier.Scalar(target.ReturnType);
            if (returnType is null || !TypeClassifier.IsReal(returnType.Value))
            {
                problem = "the target '" + target.Name + "' must return double or float";
                return false;
            }

            int expected = target.Parameters.Length + 1;
            foreach (var p in target.Parameters)
            {
                if (SignatureReader.IsActive(p))
                {
                    expected++;
                }
            }

            if (derivative.Parameters.Length != expected)
            {
                problem = "expected " + expected.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + " parameters (the target's parameters, the seed, then one adjoint per differentiable parameter) but found "
                    + derivative.Parameters.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return false;
            }

            for (int i = 0; i < target.Parameters.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(target.Parameters[i].Type, derivative.Parameters[i].Type))
                {
                    problem = "parameter " + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " must have type '"
                        + target.Parameters[i].Type.ToDisplayString() + "' like the target's";
                    return false;
                }
            }

            for (int i = 0; i <= target.Parameters.Length; i++)
            {
                if (derivative.Parameters[i].RefKind != RefKind.None)
                {
                    problem = "parameter '" + derivative.Parameters[i].Name + "' must be passed by value (only the adjoints are ref)";
                    return false;
                }
            }

            var seed = derivative.Parameters[target.Parameters.Length];
            if (!SymbolEqualityComparer.Default.Equals(seed.Type, target.ReturnType) || !SymbolEqualityComparer.Default.Equals(derivative.ReturnType, target.ReturnType))
            {
                problem = "the seed parameter and the return type must both be '" + target.ReturnType.ToDisplayString() + "'";
                return false;
            }

            int k = target.Parameters.Length + 1;
            foreach (var p in target.Parameters)
            {
                if (!SignatureReader.IsActive(p))
                {
                    continue;
                }

                var adjoint = derivative.Parameters[k++];
                var shape = TypeClassifier.Classify(p.Type);
                bool ok = shape is { Shape: Shape.Scalar }
                    ? adjoint.RefKind == RefKind.Ref && SymbolEqualityComparer.Default.Equals(adjoint.Type, p.Type)
                    : adjoint.RefKind == RefKind.None && IsAdjointBuffer(adjoint.Type, p.Type, shape);
                if (!ok)
                {
                    problem = "the adjoint of '" + p.Name + "' must be " + (shape is { Shape: Shape.Scalar } ? "'ref " + p.Type.ToDisplayString() + "'" : "a Span<T> (or T[,] for a matrix)");
                    return false;
                }
            }

            return true;
        }

        private static bool IsAdjointBuffer(ITypeSymbol adjoint, ITypeSymbol parameter, TypeClass? shape)
        {
            var a = TypeClassifier.Classify(adjoint);
            if (a is null || shape is null || a.Value.Element != shape.Value.Element)
            {
                return false;
            }

            return shape.Value.Shape == Shape.Matrix ? a.Value.Shape == Shape.Matrix && a.Value.Storage == Storage.Array : a.Value.Storage == Storage.Span;
        }

        /// <summary>The registrations a method in source makes, for calls whose pullback lives in another type.</summary>
        public static EquatableArray<DerivativeRegistration> ReadRegistrations(IMethodSymbol derivative, Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax syntax)
        {
            var list = new List<DerivativeRegistration>();
            if (HasDuplicate(derivative))
            {
                // Two pullbacks with one signature are the compiler's error (CS0111); a call to either would be ambiguous.
                return list.ToEquatableArray();
            }

            foreach (var (target, problem, attribute) in ResolveAll(derivative))
            {
                if (target is null)
                {
                    var location = attribute.ApplicationSyntaxReference?.GetSyntax() is { } attributeSyntax ? LocationInfo.From(attributeSyntax) : LocationInfo.From(syntax.Identifier);
                    list.Add(new DerivativeRegistration(string.Empty, string.Empty,
                        DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDerivativeOf, location, derivative.Name, problem ?? "the target was not found")));
                    continue;
                }

                list.Add(new DerivativeRegistration(Key(target), derivative.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + SignatureReader.Escape(derivative.Name), null));
            }

            return list.ToEquatableArray();
        }

        private static bool HasDuplicate(IMethodSymbol method)
        {
            foreach (var member in method.ContainingType.GetMembers(method.Name))
            {
                if (member is IMethodSymbol other && !SymbolEqualityComparer.Default.Equals(other, method) && other.Parameters.Length == method.Parameters.Length)
                {
                    bool same = true;
                    for (int i = 0; i < other.Parameters.Length && same; i++)
                    {
                        same = SymbolEqualityComparer.Default.Equals(other.Parameters[i].Type, method.Parameters[i].Type)
                            && other.Parameters[i].RefKind == method.Parameters[i].RefKind;
                    }

                    if (same)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>A [DerivativeOf] registration as values: which method, which pullback, or why it is invalid.</summary>
    internal sealed record DerivativeRegistration(string TargetKey, string Backward, DiagnosticInfo? Problem);
}
