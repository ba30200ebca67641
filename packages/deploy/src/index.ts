export * from './base';
export * from './coverage';
export * from './generate';
export * from './manifests';
export * from './prometheus-rule';
export * from './render';
export * from './topology';
export * from './validate';
