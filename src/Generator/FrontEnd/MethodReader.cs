using System.Collections.Generic;
using System.Threading;
using DiffGen.Generator.Diagnostics;
using DiffGen.Generator.Ir;
using DiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>The front end's entry point: one [Differentiable] method in, one equatable <see cref="MethodModel"/> out.</summary>
    internal static class MethodReader
    {
        public static MethodModel? Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetNode is not MethodDeclarationSyntax syntax || context.TargetSymbol is not IMethodSymbol method)
            {
                return null;
            }

            // A method outside any type exists only while someone types (a missing ';' above it): wait for the type.
            // A type named System hides the framework's namespace from every generated file: nothing can be generated.
            // One model binds the body for the error check and the lowering (a model binds once and keeps it).
            var bodyModel = BodyModel.For(context.SemanticModel);
            if (ErrorCheck.HasCompileErrors(bodyModel, syntax, method, cancellationToken) || HasBrokenContainingType(syntax) || syntax.Parent is not TypeDeclarationSyntax
                || HidesSystemNamespace(method))
            {
                return Waiting(method);
            }

            var diagnostics = new List<DiagnosticInfo>();
            var types = SignatureReader.ReadContainingTypes(syntax, method, diagnostics, cancellationToken);
            var identifier = LocationInfo.From(syntax.Identifier);
            if (!method.IsStatic)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MethodNotStatic, identifier, method.Name));
            }

            if (method.IsGenericMethod)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericMethod, identifier, method.Name));
            }

            // A vector-valued method returns void and writes into its [Output] span; its "return type" is that span's.
            var output = OutputElement(method);
            var returnType = method.ReturnsVoid && output is not null ? output : TypeClassifier.Scalar(method.ReturnType);
            if (output is null && (returnType is null || !TypeClassifier.IsReal(returnType.Value)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType), method.Name, method.ReturnType.ToDisplayString()));
            }

            var parameters = SignatureReader.ReadParameters(method, syntax, diagnostics);
            CheckNameClashes(method, syntax, diagnostics);

            int modes = ReadModes(context);
            ReportVectorModes(method, parameters, modes, identifier, diagnostics);
            string ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            var lineSpan = syntax.Identifier.GetLocation().GetLineSpan();
            string fileName = System.IO.Path.GetFileName(syntax.SyntaxTree.FilePath);

            IrProgram? program = null;
            if (returnType is { } rt && TypeClassifier.IsReal(rt) && (output is null || method.ReturnsVoid))
            {
                program = new BodyLowerer(bodyModel, method, diagnostics, cancellationToken).Lower(syntax, rt);
            }

            // The error check cannot see every error (a duplicate local name, say); a DG diagnostic next to a compiler
            // error is noise, so a method with one asks the compiler before reporting.
            if (diagnostics.Count > 0 && ErrorCheck.CompilerReportsErrors(context.SemanticModel, syntax, cancellationToken))
            {
                return Waiting(method);
            }

            string typePath = string.Join(".", Names(types));
            string hint = (ns.Length > 0 ? ns + "." : string.Empty) + typePath + "." + method.Name + OverloadSuffix(method);
            hint = hint.Replace("@", string.Empty);
            return new MethodModel(
                hint,
                ns.Length > 0 ? ns : null,
                types.ToEquatableArray(),
                method.Name,
                SignatureReader.Accessibility(method),
                fileName,
                lineSpan.StartLinePosition.Line + 1,
                returnType ?? ScalarType.Double,
                parameters.ToEquatableArray(),
                modes,
                program,
                diagnostics.ToEquatableArray(),
                CallResolver.Key(method),
                ShadowsFrameworkNames(method, syntax));
        }

        /// <summary>
        /// Half-typed code is the compiler's to report; the generator waits until the method binds. The empty model still
        /// names the method, so its callers know it has no pullback yet (DG0019).
        /// </summary>
        private static MethodModel Waiting(IMethodSymbol method) =>
            new(string.Empty, null, EquatableArray<ContainingType>.Empty, method.Name, string.Empty, string.Empty, 0,
                ScalarType.Double, EquatableArray<ParameterModel>.Empty, 0, null, EquatableArray<DiagnosticInfo>.Empty, CallResolver.Key(method));


        /// <summary>
        /// Generated code says Math.Sin and Span&lt;double&gt;, as a person would. If a type of one of those names is in
        /// scope where the code is emitted (the method's namespaces or enclosing types), every such name is written
        /// fully qualified instead.
        /// </summary>
        private static bool ShadowsFrameworkNames(IMethodSymbol method, MethodDeclarationSyntax syntax)
        {
            foreach (var token in syntax.DescendantTokens())
            {
                // A parameter or local named Math hides the type inside the generated method too.
                if (token.IsKind(SyntaxKind.IdentifierToken) && System.Array.IndexOf(SignatureReader.FrameworkNames, token.ValueText) >= 0
                    && token.Parent is ParameterSyntax or VariableDeclaratorSyntax or ForEachStatementSyntax)
                {
                    return true;
                }
            }

            foreach (string name in SignatureReader.FrameworkNames)
            {
                for (var type = method.ContainingType; type is not null; type = type.ContainingType)
                {
                    if (type.Name == name || !type.GetMembers(name).IsEmpty)
                    {
                        return true;
                    }
                }

                for (var ns = method.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
                {
                    if (!ns.GetTypeMembers(name).IsEmpty)
                    {
                        return true;
                    }
                }

                if (!method.ContainingAssembly.GlobalNamespace.GetTypeMembers(name).IsEmpty)
                {
                    return true;
                }
            }

            return false;
        }

        private static IEnumerable<string> Names(IReadOnlyList<ContainingType> types)
        {
            foreach (var t in types)
            {
                int generic = t.Name.IndexOf('<');
                if (generic < 0)
                {
                    yield return t.Name;
                    continue;
                }

                // M<T> and M are different types: the arity keeps their hint names apart.
                int arity = 1;
                foreach (char c in t.Name)
                {
                    arity += c == ',' ? 1 : 0;
                }

                yield return t.Name.Substring(0, generic) + "`" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Overloads of one method name get their parameter types in the hint name, so files never clash.</summary>
        private static string OverloadSuffix(IMethodSymbol method)
        {
            int differentiable = 0;
            foreach (var member in method.ContainingType.GetMembers(method.Name))
            {
                if (member is IMethodSymbol m && SignatureReader.HasAttribute(m, SignatureReader.DifferentiableAttribute))
                {
                    differentiable++;
                }
            }

            if (differentiable < 2)
            {
                return string.Empty;
            }

            var builder = new System.Text.StringBuilder();
            foreach (var p in method.Parameters)
            {
                builder.Append('_');
                foreach (char c in p.Type.ToDisplayString())
                {
                    builder.Append(char.IsLetterOrDigit(c) ? c : '_');
                }
            }

            return builder.ToString();
        }

        /// <summary>A type declaration still being typed (<c>partial struct N&lt;</c>) cannot be re-declared in generated code.</summary>
        private static bool HasBrokenContainingType(MethodDeclarationSyntax syntax)
        {
            for (var node = syntax.Parent; node is not null; node = node.Parent)
            {
                if (node is BaseNamespaceDeclarationSyntax ns && ns.Name.ContainsDiagnostics)
                {
                    return true;
                }
            }

            for (var node = syntax.Parent; node is TypeDeclarationSyntax type; node = node.Parent)
            {
                if (type.Identifier.IsMissing || type.TypeParameterList?.ContainsDiagnostics == true || type.OpenBraceToken.IsMissing)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>What a vector-valued method cannot have: second order (its Hessian is a tensor) and matrix inputs to FJacobian.</summary>
        private static void ReportVectorModes(IMethodSymbol method, IReadOnlyList<ParameterModel> parameters, int modes, LocationInfo? identifier, List<DiagnosticInfo> diagnostics)
        {
            bool vector = false;
            foreach (var p in parameters)
            {
                vector |= p.Output;
            }

            if (!vector)
            {
                return;
            }

            if ((modes & 4) != 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeUnsupported, identifier, method.Name,
                    "an [Output] span with DiffModes.Hessian (second derivatives of a vector-valued method form a tensor); take the Hessian of a scalar function of the outputs, such as a loss, instead"));
            }

            foreach (var p in parameters)
            {
                if ((modes & 8) != 0 && p.Active && p.Shape == Shape.Matrix)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModeUnsupported, identifier, method.Name,
                        "the matrix parameter '" + p.Name + "' with DiffModes.Jacobian (Jacobian columns are numbered over scalars and spans); pass it as a flat span"));
                }
            }
        }

        private static bool HidesSystemNamespace(IMethodSymbol method)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (type.Name == "System" && type.ContainingType is null && type.ContainingNamespace is { IsGlobalNamespace: true })
                {
                    return true;
                }
            }

            return !method.ContainingAssembly.GlobalNamespace.GetTypeMembers("System").IsEmpty;
        }

        /// <summary>The element type of the method's [Output] span when it is a real span (checked in full by the signature reader).</summary>
        private static ScalarType? OutputElement(IMethodSymbol method)
        {
            foreach (var p in method.Parameters)
            {
                if (SignatureReader.HasAttribute(p, SignatureReader.OutputAttribute))
                {
                    return TypeClassifier.Classify(p.Type) is { } t && TypeClassifier.IsReal(t.Element) ? t.Element : ScalarType.Double;
                }
            }

            return null;
        }

        private static int ReadModes(GeneratorAttributeSyntaxContext context)
        {
            foreach (var attribute in context.Attributes)
            {
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "Modes" && named.Value.Value is int value)
                    {
                        // The Jacobian is built from the pullback and the tangent, so it brings both.
                        return (value & 8) != 0 ? value | 1 | 2 : value;
                    }
                }
            }

            return 1;
        }

        private static bool HasTypeParameterNamed(INamedTypeSymbol type, string name)
        {
            foreach (var parameter in type.TypeParameters)
            {
                if (parameter.Name == name)
                {
                    return true;
                }
            }

            return false;
        }

        private static void CheckNameClashes(IMethodSymbol method, MethodDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            foreach (var suffix in new[] { "Gradient", "Backward", "Tangent", "HessianVector", "Hessian", "Jacobian" })
            {
                string name = method.Name + suffix;
                if (method.ContainingType.Name == name || HasTypeParameterNamed(method.ContainingType, name))
                {
                    // A member may not be named like its enclosing type, nor like one of its type parameters (M<FBackward>).
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, LocationInfo.From(syntax.Identifier), name, method.ContainingType.Name));
                    break;
                }

                foreach (var member in method.ContainingType.GetMembers(name))
                {
                    // The generator sees the compilation without its own output: any member of that name is the user's.
                    _ = member;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, LocationInfo.From(syntax.Identifier), name, method.ContainingType.Name));
                    break;
                }
            }
        }
    }
}
