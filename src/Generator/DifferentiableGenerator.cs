using System.Collections.Immutable;
using System.Threading;
using DiffGen.Generator.Emit;
using DiffGen.Generator.FrontEnd;
using DiffGen.Generator.Model;
using DiffGen.Generator.Passes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DiffGen.Generator
{
    /// <summary>
    /// The pipeline, top to bottom: find [Differentiable] methods and lower each to IR (front end); collect
    /// [DerivativeOf] registrations; resolve calls and run the passes (pure functions of the model); then report
    /// diagnostics and emit source as two separate outputs, so a diagnostic change does not re-emit code.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class DifferentiableGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // Roslyn runs these transforms again for every method on every compilation change; the caches hand back
            // the previous result while the method's file and every declaration it binds against are unchanged.
            var frontEnd = new DeclarationCache<MethodModel?>();
            var methods = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    SignatureReader.DifferentiableAttribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    (ctx, ct) => frontEnd.Get(ctx.TargetNode, ctx.SemanticModel.Compilation, () => MethodReader.Read(ctx, ct), ct))
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(TrackingNames.Methods);

            var registrationReader = new DeclarationCache<EquatableArray<DerivativeRegistration>>();
            var registrations = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    SignatureReader.DerivativeOfAttribute,
                    static (node, _) => node is MethodDeclarationSyntax,
                    (ctx, ct) => registrationReader.Get(ctx.TargetNode, ctx.SemanticModel.Compilation, () => ReadRegistrations(ctx, ct), ct))
                .SelectMany(static (all, _) => all)
                .Collect()
                .Select(static (all, _) => all.ToEquatableArray())
                .WithTrackingName(TrackingNames.Registrations);

            var checkedMethods = methods
                .Combine(registrations)
                .Select(static (pair, ct) => Pipeline.Run(pair.Left, pair.Right, ct))
                .WithTrackingName(TrackingNames.Checked);

            // Differentiable methods that get no code, transitively through calls: their callers get a diagnostic
            // instead of a call to a Backward method that will not exist.
            var broken = checkedMethods
                .Select(static (m, _) => CallSummary.Of(m))
                .Collect()
                .Select(static (all, _) => CallGraph.BrokenMethods(all))
                .WithTrackingName(TrackingNames.Broken);

            var resolved = checkedMethods
                .Combine(broken)
                .Select(static (pair, _) => Pipeline.ReportBrokenCallees(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Resolved);

            // Locations travel as values; the compilation maps them back onto syntax trees when reporting, so
            // #pragma suppression and the IDE see ordinary source locations.
            context.RegisterSourceOutput(
                resolved.Select(static (m, _) => m.Diagnostics).WithTrackingName(TrackingNames.Diagnostics).Combine(context.CompilationProvider),
                static (spc, pair) => Report(spc, pair.Left, pair.Right));

            context.RegisterSourceOutput(registrations.Combine(context.CompilationProvider), static (spc, pair) =>
            {
                foreach (var registration in pair.Left)
                {
                    if (registration.Problem is { } problem)
                    {
                        spc.ReportDiagnostic(problem.ToDiagnostic(pair.Right));
                    }
                }
            });

            var options = context.AnalyzerConfigOptionsProvider
                .Select(static (provider, _) => new EmitOptions(
                    !(provider.GlobalOptions.TryGetValue(EmitOptions.FormulaCommentsProperty, out var value)
                      && string.Equals(value?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase))))
                .WithTrackingName(TrackingNames.Options);

            context.RegisterSourceOutput(
                resolved
                    .Select(static (m, _) => m with { Diagnostics = EquatableArray<DiagnosticInfo>.Empty, Program = m.CanEmit ? WithoutLocations(m.Program) : null })
                    .Combine(options),
                static (spc, pair) =>
                {
                    var (model, emitOptions) = pair;
                    if (model.Program is not null)
                    {
                        spc.AddSource(model.HintName + ".g.cs", MethodEmitter.Emit(model, emitOptions, spc.CancellationToken));
                    }
                });
        }

        private static EquatableArray<DerivativeRegistration> ReadRegistrations(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
            context.TargetSymbol is IMethodSymbol m && context.TargetNode is MethodDeclarationSyntax s && !ErrorCheck.HasCompileErrors(FrontEnd.BodyModel.For(context.SemanticModel), s, m, cancellationToken)
                ? CallResolver.ReadRegistrations(m, s)
                : EquatableArray<DerivativeRegistration>.Empty;

        /// <summary>
        /// Code does not depend on where diagnostics would point: dropping the locations lets an edit that only
        /// shifts text (a comment above the method) leave the emitted source cached.
        /// </summary>
        private static Ir.IrProgram? WithoutLocations(Ir.IrProgram? program)
        {
            if (program is null)
            {
                return null;
            }

            var calls = new System.Collections.Generic.List<Ir.IrCall>();
            foreach (var call in program.Calls)
            {
                calls.Add(call with { Location = null });
            }

            return program with
            {
                Body = Passes.StatementWalker.Rewrite(program.Body, s => s.Location is null ? s : s with { Location = null }),
                Calls = calls.ToEquatableArray(),
            };
        }

        private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
        {
            foreach (var diagnostic in diagnostics)
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
            }
        }
    }
}
