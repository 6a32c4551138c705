export * from './redactor.js';
