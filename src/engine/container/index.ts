/** The container layer's public surface (the launch flow and the editor import from here). */
export * from './types';
export { VMController, UnknownVMKindError } from './controller';
export { DockerVM, type DockerVMOptions } from './docker/dockerVM';
export { DEFAULT_DOCKER_ENDPOINT, dockerClientOptions, type DockerTLSOptions } from './docker/endpoint';
export { DockerUnreachableError, ImageBuildError, ImageMissingError } from './docker/errors';
export { containerName, imageName, imageRef, DEFAULT_NAMING, InvalidImageNameError, type VMNaming } from './docker/names';
export { LABEL_CCID, LABEL_MANAGED, LABEL_PEER, listManagedContainers, watchManagedEvents, type DockerEngineEvent, type ManagedContainer } from './docker/labels';
