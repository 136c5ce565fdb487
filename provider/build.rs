//! Compiles the vendored tfplugin6 and go-plugin protos with protox (no system `protoc` needed).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files = [
        "../proto/tfplugin6.proto",
        "../proto/plugin/grpc_controller.proto",
        "../proto/plugin/grpc_stdio.proto",
        "../proto/plugin/grpc_broker.proto",
    ];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["../proto"])?;
    tonic_prost_build::configure()
        .build_client(true)
        .build_server(true)
        .generate_default_stubs(true)
        .compile_fds(descriptors)?;
    Ok(())
}
