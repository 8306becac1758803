using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// Whether a method's declaration (signature, modifiers, attributes) can have a compile error, judged from its
    /// symbol. The compiler's answer, <c>SemanticModel.GetDeclarationDiagnostics(span)</c>, completes the declarations
    /// of the method's namespace in parallel (one task per type, whatever the span) and cost as much as binding the
    /// body (docs/benchmarks.md, "Compile time"). Most [Differentiable] signatures are plain: an accessibility, static,
    /// real and span parameters, DiffGen's attributes. For those an error can only be an unknown type, which the
    /// symbol shows; anything less plain goes to the compiler. The check may say yes for a method that compiles
    /// (that only costs time), never no for one with a declaration error the generated code would repeat.
    /// </summary>
    internal static class SignatureCheck
    {
        public static bool MayHaveErrors(IMethodSymbol method, MethodDeclarationSyntax syntax)
        {
            if (syntax.ExplicitInterfaceSpecifier is not null || syntax.TypeParameterList is not null || syntax.ConstraintClauses.Count > 0
                || !PlainModifiers(syntax.Modifiers) || method.Name == method.ContainingType?.Name)
            {
                return true;
            }

            if (IsBroken(method.ReturnType) || !KnownAttributes(method.GetAttributes(), SignatureReader.DifferentiableAttribute)
                || method.GetReturnTypeAttributes().Length > 0)
            {
                return true;
            }

            var names = new HashSet<string>();
            foreach (var parameter in syntax.ParameterList.Parameters)
            {
                // A default value, 'params', 'this', 'scoped' and the like: rare here, and each has its own errors.
                if (parameter.Default is not null || !PlainParameterModifiers(parameter.Modifiers))
                {
                    return true;
                }
            }

            foreach (var parameter in method.Parameters)
            {
                if (!names.Add(parameter.Name) || IsBroken(parameter.Type)
                    || !KnownAttributes(parameter.GetAttributes(), SignatureReader.NoDiffAttribute, SignatureReader.OutputAttribute))
                {
                    return true;
                }
            }

            return HasTwin(method);
        }

        /// <summary>One accessibility (or protected internal, private protected) and static, in any order; nothing else.</summary>
        private static bool PlainModifiers(SyntaxTokenList modifiers)
        {
            int access = 0;
            bool isStatic = false;
            foreach (var modifier in modifiers)
            {
                switch (modifier.Kind())
                {
                    case SyntaxKind.PublicKeyword:
                    case SyntaxKind.InternalKeyword:
                    case SyntaxKind.PrivateKeyword:
                    case SyntaxKind.ProtectedKeyword:
                        access++;
                        break;
                    case SyntaxKind.StaticKeyword when !isStatic:
                        isStatic = true;
                        break;
                    default:
                        return false;
                }
            }

            // 'protected internal' and 'private protected' are the only pairs; the compiler judges those.
            return access <= 1;
        }

        private static bool PlainParameterModifiers(SyntaxTokenList modifiers)
        {
            if (modifiers.Count > 1)
            {
                return false;
            }

            foreach (var modifier in modifiers)
            {
                if (!modifier.IsKind(SyntaxKind.RefKeyword) && !modifier.IsKind(SyntaxKind.OutKeyword) && !modifier.IsKind(SyntaxKind.InKeyword))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Only DiffGen's attributes meant for this place, each once, bound, without arguments.</summary>
        private static bool KnownAttributes(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, params string[] allowed)
        {
            var seen = new HashSet<string>();
            foreach (var attribute in attributes)
            {
                string? name = attribute.AttributeClass is { TypeKind: not TypeKind.Error } type ? type.ToDisplayString() : null;
                if (name is null || attribute.AttributeConstructor is null || System.Array.IndexOf(allowed, name) < 0 || !seen.Add(name)
                    || !WithoutArguments(attribute))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// An attribute written without arguments. An argument can be wrong in ways its bound value does not show
        /// (<c>Modes = 99</c> is bound as a DiffModes of 99, with CS0266 beside it), so any argument goes to the compiler.
        /// </summary>
        private static bool WithoutArguments(AttributeData attribute) =>
            attribute.ConstructorArguments.Length == 0 && attribute.NamedArguments.Length == 0
            && attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax { ArgumentList.Arguments.Count: > 0 };

        /// <summary>An unknown type anywhere in the type (its elements, its type arguments).</summary>
        private static bool IsBroken(ITypeSymbol type) => type switch
        {
            { TypeKind: TypeKind.Error } => true,
            IArrayTypeSymbol array => IsBroken(array.ElementType),
            INamedTypeSymbol { IsGenericType: true } named => AnyBroken(named.TypeArguments),
            IPointerTypeSymbol or IFunctionPointerTypeSymbol or IDynamicTypeSymbol => true,
            _ => false,
        };

        private static bool AnyBroken(System.Collections.Immutable.ImmutableArray<ITypeSymbol> types)
        {
            foreach (var type in types)
            {
                if (IsBroken(type))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Another member of the type with the same name and parameter types (CS0111), or a non-method of that name (CS0102).</summary>
        private static bool HasTwin(IMethodSymbol method)
        {
            if (method.ContainingType is null)
            {
                return true;
            }

            foreach (var member in method.ContainingType.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(member, method))
                {
                    continue;
                }

                if (member is not IMethodSymbol other || SameParameters(other, method))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool SameParameters(IMethodSymbol a, IMethodSymbol b)
        {
            if (a.Parameters.Length != b.Parameters.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Parameters.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(a.Parameters[i].Type, b.Parameters[i].Type))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
