using System;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace DiffGen.Generator.FrontEnd
{
    /// <summary>
    /// The semantic model the front end binds a method body with. Binding the body (<c>GetOperation</c>) is the
    /// largest single cost of the generator, and half of it is nullable analysis when the project enables nullable
    /// reference types; DiffGen reads types, values and control flow from the operation tree, never nullability, so
    /// it asks for a model without that analysis when the compiler running it has one
    /// (<c>SemanticModelOptions.DisableNullableAnalysis</c>, Roslyn 4.9 on). The generator is built against Roslyn
    /// 4.8 so that the .NET 8 SDK can load it, hence the lookup by name, once per process; on a compiler without the
    /// option (or if a later one renames it) the model Roslyn handed over is used as it is. The option is marked
    /// experimental (RSEXPERIMENTAL001); what it leaves out, nullable annotations and flow states, is what DiffGen
    /// does not read.
    /// </summary>
    internal static class BodyModel
    {
        private static readonly Func<Compilation, SyntaxTree, SemanticModel>? s_withoutNullableAnalysis = Find();

        /// <summary>Whether this compiler can bind without nullable analysis (tests check which path they run).</summary>
        public static bool SkipsNullableAnalysis => s_withoutNullableAnalysis is not null;

        /// <summary>
        /// A model of <paramref name="model"/>'s tree that binds without nullable analysis where the compiler can,
        /// else <paramref name="model"/>. Everything that binds the body must use the same model: each model binds
        /// once and keeps what it bound.
        /// </summary>
        public static SemanticModel For(SemanticModel model)
        {
            if (s_withoutNullableAnalysis is null)
            {
                return model;
            }

            try
            {
                return s_withoutNullableAnalysis(model.Compilation, model.SyntaxTree);
            }
            catch (Exception e) when (e is TargetInvocationException or ArgumentException or InvalidOperationException)
            {
                return model;
            }
        }

        private static Func<Compilation, SyntaxTree, SemanticModel>? Find()
        {
            try
            {
                var optionsType = typeof(Compilation).Assembly.GetType("Microsoft.CodeAnalysis.SemanticModelOptions", throwOnError: false);
                if (optionsType is null || !optionsType.IsEnum || !Enum.IsDefined(optionsType, "DisableNullableAnalysis"))
                {
                    return null;
                }

                var getModel = typeof(Compilation).GetMethod(
                    nameof(Compilation.GetSemanticModel),
                    BindingFlags.Public | BindingFlags.Instance,
                    binder: null,
                    new[] { typeof(SyntaxTree), optionsType },
                    modifiers: null);
                if (getModel is null || !typeof(SemanticModel).IsAssignableFrom(getModel.ReturnType))
                {
                    return null;
                }

                object disable = Enum.Parse(optionsType, "DisableNullableAnalysis");
                return (compilation, tree) => (SemanticModel)getModel.Invoke(compilation, new[] { tree, disable });
            }
            catch (Exception e) when (e is AmbiguousMatchException or ArgumentException or TypeLoadException)
            {
                return null;
            }
        }
    }
}
